import { useCallback, useMemo, useState } from 'react';
import { ApiError } from './api';
import { useI18n, type I18n } from './i18n';

/** Errors of one form: messages per input id, and messages that belong to no single input. */
export interface FormErrors {
  fields: Record<string, string>;
  general: string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** How to word a form's errors in a given language. */
export type ErrorsIn = (t: I18n['t']) => FormErrors;

/**
 * A form's errors, kept as how to word them rather than as words: switching the language while
 * they are shown re-words them instead of leaving the old language on screen. (Messages written
 * by the API keep the language they were asked in.)
 */
export function useFormErrors(): [FormErrors, (next: FormErrors | ErrorsIn) => void] {
  const { t } = useI18n();
  const [errorsIn, setErrorsIn] = useState<ErrorsIn>(() => () => NO_ERRORS);
  const errors = useMemo(() => errorsIn(t), [errorsIn, t]);
  const setErrors = useCallback(
    (next: FormErrors | ErrorsIn) => setErrorsIn(() => (typeof next === 'function' ? next : () => next)),
    [],
  );
  return [errors, setErrors];
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.general.length > 0 || Object.keys(errors.fields).length > 0;
}

/** A human message for any failure, in the UI language (API messages already follow Accept-Language). */
export function describeError(err: unknown, t: I18n['t']): string {
  if (!(err instanceof ApiError)) return t('error.generic');
  if (err.status === 0) return t('error.network');
  if (err.status === 429) {
    return err.retryAfterSeconds ? t('error.tooManyWait', { seconds: err.retryAfterSeconds }) : t('error.tooMany');
  }
  if (err.status === 503) return t('error.unavailable');
  if (err.status === 403) return err.message || t('error.forbidden');
  if (err.status >= 500) return t('error.generic');
  return err.message || t('error.generic');
}

/**
 * Places the API's field errors (`customer.phone`) next to the matching inputs (`fieldIds` maps
 * API paths to input ids); anything else goes to the summary.
 */
export function formErrorsFrom(err: unknown, t: I18n['t'], fieldIds: Record<string, string>): FormErrors {
  if (!(err instanceof ApiError) || err.fields.length === 0) return { fields: {}, general: [describeError(err, t)] };
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const f of err.fields) {
    const id = fieldIds[f.field];
    const message = f.message || err.message || t('error.generic');
    if (id && !fields[id]) fields[id] = message;
    else if (!id) general.push(message);
  }
  return { fields, general };
}
