import type { replyFilesVi } from './reply-files.vi';

// Trả lời kèm tệp (the complaint's files sent with an agent's reply), English.

export const replyFilesEn: Record<keyof typeof replyFilesVi, string> = {
  'replyFiles.legend': "Attach the complaint's files",
  'replyFiles.hint': 'Up to 10 files, 15 MB in all. A new file: add it under “Attachments” first, then pick it here.',
  'replyFiles.picked': '{count} file(s) picked, {size}.',
  'replyFiles.tooMany': 'At most 10 files can be attached: untick some.',
  'replyFiles.tooLarge': 'The files picked are over 15 MB, too large for an email: untick some.',
  'replyFiles.timeline': 'Files attached',
  'replyFiles.public': 'Files attached to the email (see your mailbox):',
  'replyFiles.sent': 'Email sent to the customer, with {count} file(s).',
};
