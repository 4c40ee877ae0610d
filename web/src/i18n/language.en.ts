import type { languageVi } from './language.vi';

// The language Sen writes to the customer in (mails, the printed receipt, the status-page link), English, key for key.

export const languageEn: Record<keyof typeof languageVi, string> = {
  'language.label': 'Language for writing to the customer',
  'language.hint': 'Mail to the customer, the receipt and the status-page link are written in this language.',
  'language.short': 'Language for the customer',
  'event.language.changed': 'Language for the customer changed',
};
