import type { ChangeEvent } from 'react';
import { useI18n } from '../i18n';
import { LANGUAGE_LABELS, LANGUAGES, type Language } from '../types';
import { SelectField } from './forms';

/** Whether a value is a language Sen writes to customers in (a select's value, a timeline payload). */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** A language's name in the current UI language (as mails and documents name it); "—" for none, the raw value for an unknown one. */
export function useLanguageName(): (language: unknown) => string {
  const { lang } = useI18n();
  return (language) => {
    if (language === null || language === undefined || language === '') return '—';
    return isLanguage(language) ? LANGUAGE_LABELS[language][lang] : String(language);
  };
}

/**
 * Ngôn ngữ liên lạc với khách hàng — the language Sen writes to the customer in (mails, receipt, status-page link),
 * Vietnamese first. Not the language of the console: the agent picks the customer's. Another label and hint say what
 * else is in one language (a reply template).
 */
export function LanguageSelect({
  id,
  value,
  onChange,
  error,
  testId,
  label,
  hint,
  required,
}: {
  id: string;
  value: Language;
  onChange: (next: Language) => void;
  error?: string;
  testId?: string;
  label?: string;
  hint?: string;
  required?: boolean;
}) {
  const { t } = useI18n();
  const name = useLanguageName();
  return (
    <SelectField
      id={id}
      label={label ?? t('language.label')}
      hint={hint ?? t('language.hint')}
      required={required}
      value={value}
      onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange(isLanguage(e.target.value) ? e.target.value : 'vi')}
      error={error}
      data-testid={testId}
    >
      {LANGUAGES.map((l) => (
        <option key={l} value={l}>
          {name(l)}
        </option>
      ))}
    </SelectField>
  );
}
