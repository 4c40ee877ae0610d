import { AppError, type FieldError } from './errors';

/** Mẫu thư — the texts of Sen's mail to customers that admins may edit, per language. */
export const TEMPLATE_KEYS = ['receipt'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export interface MailTemplate {
  subject: string;
  text: string;
}
export type MailTemplates = Partial<Record<TemplateKey, { vi?: MailTemplate; en?: MailTemplate }>>;

/** The placeholders each template may use, written {{name}}. */
export const TEMPLATE_PLACEHOLDERS: Record<TemplateKey, readonly string[]> = {
  receipt: [
    'customerName',
    'code',
    'subject',
    'receivedAt',
    'acknowledgementDueAt',
    'resolutionDueAt',
    'acknowledgementWorkingHours',
    'resolutionWorkingDays',
    'statusUrl',
    'companyName',
  ],
};

const PLACEHOLDER = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;

/** Fills a template; values are plain text (escaping for HTML happens where HTML is made). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
}

/**
 * Checks templates an admin submitted: known keys and languages, a subject and a text, only known
 * placeholders, and {{code}} in every subject (a reply finds its complaint by the code in the subject).
 */
export function parseMailTemplates(input: unknown): MailTemplates {
  const fields: FieldError[] = [];
  const out: MailTemplates = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new AppError('validation_failed', { fields: [{ field: '(body)', code: 'wrong_type' }] });
  }
  for (const [key, perLocale] of Object.entries(input as Record<string, unknown>)) {
    if (!(TEMPLATE_KEYS as readonly string[]).includes(key)) {
      fields.push({ field: key, code: 'unknown_field' });
      continue;
    }
    if (!perLocale || typeof perLocale !== 'object') {
      fields.push({ field: key, code: 'wrong_type' });
      continue;
    }
    const entry: { vi?: MailTemplate; en?: MailTemplate } = {};
    for (const [locale, t] of Object.entries(perLocale as Record<string, unknown>)) {
      const at = `${key}.${locale}`;
      if (locale !== 'vi' && locale !== 'en') {
        fields.push({ field: at, code: 'unknown_field' });
        continue;
      }
      const tpl = t as Partial<MailTemplate> | null;
      for (const part of ['subject', 'text'] as const) {
        const v = tpl?.[part];
        if (typeof v !== 'string' || !v.trim()) {
          fields.push({ field: `${at}.${part}`, code: 'required' });
          continue;
        }
        if (v.length > (part === 'subject' ? 300 : 20_000)) fields.push({ field: `${at}.${part}`, code: 'too_long' });
        for (const m of v.matchAll(PLACEHOLDER)) {
          if (!TEMPLATE_PLACEHOLDERS[key as TemplateKey].includes(m[1])) fields.push({ field: `${at}.${part}`, code: 'invalid_value' });
        }
      }
      if (typeof tpl?.subject === 'string' && !/\{\{\s*code\s*\}\}/.test(tpl.subject)) fields.push({ field: `${at}.subject`, code: 'invalid_value' });
      if (typeof tpl?.subject === 'string' && typeof tpl.text === 'string') entry[locale] = { subject: tpl.subject.trim(), text: tpl.text };
    }
    out[key as TemplateKey] = entry;
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
  return out;
}
