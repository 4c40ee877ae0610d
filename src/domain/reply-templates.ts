import { AppError, type FieldError } from './errors';
import { fillTemplate } from './mail-templates';
import { LANGUAGES, type Language } from './vocabulary';

/**
 * Mẫu trả lời — the wording a team keeps for the replies it writes again and again ("we have passed your complaint to
 * the warehouse…"), per language, inserted into the reply form and edited there before it is sent.
 */

/** The placeholders a reply template may use, written {{name}}, filled from the complaint and the agent. */
export const REPLY_TEMPLATE_PLACEHOLDERS = ['customerName', 'code', 'subject', 'resolutionDueAt', 'agentName'] as const;
export type ReplyTemplatePlaceholder = (typeof REPLY_TEMPLATE_PLACEHOLDERS)[number];

export const REPLY_TEMPLATE_LIMITS = { name: 120, body: 10_000 } as const;

export interface ReplyTemplateInput {
  name?: string;
  language?: Language;
  body?: string;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;

/**
 * Checks a template as written (all of it when `whole`, the fields given otherwise): a name and a body, within their
 * lengths, a known language, and only known placeholders. Throws every field problem at once; returns it trimmed.
 */
export function checkReplyTemplate(input: ReplyTemplateInput, whole: boolean): ReplyTemplateInput {
  const fields: FieldError[] = [];
  const out: ReplyTemplateInput = {};
  if (input.name !== undefined || whole) {
    const name = (input.name ?? '').trim();
    if (!name) fields.push({ field: 'name', code: 'required' });
    else if (name.length > REPLY_TEMPLATE_LIMITS.name) fields.push({ field: 'name', code: 'too_long' });
    out.name = name;
  }
  if (input.body !== undefined || whole) {
    const body = (input.body ?? '').replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
    if (!body.trim()) fields.push({ field: 'body', code: 'required' });
    else if (body.length > REPLY_TEMPLATE_LIMITS.body) fields.push({ field: 'body', code: 'too_long' });
    else if ([...body.matchAll(PLACEHOLDER)].some((m) => !(REPLY_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(m[1]))) {
      fields.push({ field: 'body', code: 'invalid_value' });
    }
    out.body = body;
  }
  if (input.language !== undefined || whole) {
    const language = input.language ?? 'vi';
    if (!(LANGUAGES as readonly string[]).includes(language)) fields.push({ field: 'language', code: 'invalid_value' });
    out.language = language;
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
  return out;
}

/** A template's text for one complaint: its placeholders filled (an unknown or missing value leaves nothing). */
export function fillReplyTemplate(body: string, values: Partial<Record<ReplyTemplatePlaceholder, string>>): string {
  return fillTemplate(body, values);
}
