import type { replyTemplatesVi } from './reply-templates.vi';

// Reply templates (mẫu trả lời), English, key for key.

export const replyTemplatesEn: Record<keyof typeof replyTemplatesVi, string> = {
  'navReplyTemplates.link': 'Reply templates',
  'adminTabs.replyTemplates': 'Reply templates',

  // —— The page ——
  'replyTemplates.title': 'Reply templates',
  'replyTemplates.intro':
    'The replies the team writes again and again, per language for the customer. Agents insert one into their reply to the customer and edit it before sending.',
  'replyTemplates.forbidden': 'Only supervisors and admins manage reply templates. Agents pick one in the reply card of a complaint.',
  'replyTemplates.add': 'Add a reply template',
  'replyTemplates.addSubmit': 'Add template',
  'replyTemplates.added': 'Template “{name}” added.',
  'replyTemplates.saved': 'Template “{name}” saved.',
  'replyTemplates.save': 'Save template',
  'replyTemplates.name': 'Template name',
  'replyTemplates.nameHint': 'A short name agents recognise in the list, e.g. “Passed to the warehouse”.',
  'replyTemplates.nameRequired': 'Enter the template’s name.',
  'replyTemplates.language': 'Language of the template',
  'replyTemplates.languageHint': 'The template is offered only on complaints written to the customer in this language.',
  'replyTemplates.body': 'Text',
  'replyTemplates.bodyHint':
    'Write as you would to the customer. The greeting, the complaint code in the subject and the status link are added when the reply is sent.',
  'replyTemplates.bodyRequired': 'Enter the template’s text.',
  'replyTemplates.unknownPlaceholder': 'The template uses a placeholder Sen does not know: {names}. Use only the placeholders listed below the text.',
  'replyTemplates.invalidPlaceholder': 'The template uses a placeholder Sen does not know. Use only the placeholders listed below the text.',
  'replyTemplates.placeholders': 'Placeholders: when the template is inserted into a reply, Sen replaces each with the complaint’s details.',
  'replyTemplates.placeholderInsert': 'Insert the placeholder {placeholder} ({meaning}) into the text',
  'replyTemplates.placeholder.customerName': 'the customer’s full name',
  'replyTemplates.placeholder.code': 'the complaint code, e.g. KN-2026-000123',
  'replyTemplates.placeholder.subject': 'the complaint’s subject',
  'replyTemplates.placeholder.resolutionDueAt': 'the resolution due date, as day/month/year',
  'replyTemplates.placeholder.agentName': 'the name of the staff member sending the reply',
  'replyTemplates.list': 'Templates',
  'replyTemplates.count': '{count} templates, those in use first.',
  'replyTemplates.empty': 'No reply template yet. Add the first one above.',
  'replyTemplates.active': 'In use',
  'replyTemplates.inactive': 'Retired',
  'replyTemplates.updatedAt': 'Last changed {at}',
  'replyTemplates.edit': 'Edit',
  'replyTemplates.editLabel': 'Edit template “{name}”',
  'replyTemplates.closeEdit': 'Close',
  'replyTemplates.deactivate': 'Retire',
  'replyTemplates.deactivateLabel': 'Retire template “{name}”',
  'replyTemplates.reactivate': 'Use again',
  'replyTemplates.reactivateLabel': 'Use template “{name}” again',
  'replyTemplates.deactivated': 'Template “{name}” retired: agents no longer see it.',
  'replyTemplates.reactivated': 'Template “{name}” is in use again.',

  // —— The picker in the reply card ——
  'replyTemplates.insert': 'Insert a reply template',
  'replyTemplates.insertHint': 'Pick a template, then “Insert”: its text, filled with the complaint’s details, is added to the reply below for you to edit before sending.',
  'replyTemplates.insertChoose': '— Choose a template —',
  'replyTemplates.insertButton': 'Insert',
};
