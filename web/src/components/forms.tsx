import {
  useEffect,
  useRef,
  type InputHTMLAttributes,
  type MouseEvent,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { hasErrors, type FormErrors } from '../errors';
import { useI18n } from '../i18n';
import { PROVINCES } from '../../../src/domain/provinces';
import { DateInput, DateTimeInput } from './date-inputs';

interface FieldBase {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  /** Marks the field "(optional)" in the same muted style as "(required)". */
  optional?: boolean;
  /** Id of a description shared with other inputs (a group hint). */
  extraDescription?: string;
}

function describedBy(id: string, hint?: string, error?: string, extra?: string): string | undefined {
  const ids = [extra ?? null, hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldShell({ id, label, error, hint, required, optional, children }: FieldBase & { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="field-required"> {t('common.required')}</span> : null}
        {optional && !required ? <span className="field-optional"> {t('common.optional')}</span> : null}
      </label>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`} data-testid={`error-${id}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type InputProps = FieldBase & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;

export function TextField({ id, label, error, hint, required, optional, name, extraDescription, ...input }: InputProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} optional={optional}>
      <input
        id={id}
        name={name ?? id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error, extraDescription)}
        aria-required={required || undefined}
        {...input}
      />
    </FieldShell>
  );
}

type DateFieldProps = FieldBase & Omit<Parameters<typeof DateInput>[0], 'id'>;

/** A labelled date field typed as dd/mm/yyyy (see DateInput); value and onValue as YYYY-MM-DD. */
export function DateField({ id, label, error, hint, required, optional, extraDescription, ...input }: DateFieldProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} optional={optional}>
      <DateInput
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error, extraDescription)}
        aria-required={required || undefined}
        {...input}
      />
    </FieldShell>
  );
}

type DateTimeFieldProps = FieldBase & Omit<Parameters<typeof DateTimeInput>[0], 'id'>;

/** A labelled date and 24-hour time in Vietnam wall time; value and onValue as YYYY-MM-DDTHH:mm[:ss]. */
export function DateTimeField({ id, label, error, hint, required, optional, extraDescription, ...input }: DateTimeFieldProps) {
  const { t } = useI18n();
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} optional={optional}>
      <DateTimeInput
        id={id}
        timeLabel={`${label} — ${t('date.time')}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error, extraDescription)}
        aria-required={required || undefined}
        {...input}
      />
    </FieldShell>
  );
}

type TextAreaProps = FieldBase & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>;

export function TextArea({ id, label, error, hint, required, optional, name, extraDescription, ...area }: TextAreaProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} optional={optional}>
      <textarea
        id={id}
        name={name ?? id}
        rows={5}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error, extraDescription)}
        aria-required={required || undefined}
        {...area}
      />
    </FieldShell>
  );
}

type SelectProps = FieldBase & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { children: ReactNode };

export function SelectField({ id, label, error, hint, required, optional, name, children, extraDescription, ...select }: SelectProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} optional={optional}>
      <select
        id={id}
        name={name ?? id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error, extraDescription)}
        {...select}
      >
        {children}
      </select>
    </FieldShell>
  );
}

/** Tỉnh/thành phố: the 34 provinces, optional ("unknown" first); labelled "Province" unless `label` is given. */
export function ProvinceSelect({ label, hint, ...select }: Omit<SelectProps, 'children' | 'label'> & { label?: string }) {
  const { t } = useI18n();
  return (
    <SelectField label={label ?? t('field.province')} hint={hint ?? t('field.provinceHint')} {...select}>
      <option value="">{t('field.provinceNone')}</option>
      {PROVINCES.map((p) => (
        <option key={p} value={p}>
          {p}
        </option>
      ))}
    </SelectField>
  );
}

interface CheckboxProps {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
  required?: boolean;
}

export function CheckboxField({ id, label, checked, onChange, error, required }: CheckboxProps) {
  return (
    <div className={error ? 'field field-check field-invalid' : 'field field-check'}>
      <input
        type="checkbox"
        id={id}
        name={id}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        aria-required={required || undefined}
      />
      <label htmlFor={id}>{label}</label>
      {error ? (
        <p className="field-error" id={`${id}-error`} data-testid={`error-${id}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The list of what is wrong, announced and focused after a failed submit; each item jumps to its input. */
export function ErrorSummary({ errors }: { errors: FormErrors }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const visible = hasErrors(errors);

  useEffect(() => {
    if (visible) ref.current?.focus();
  }, [errors, visible]);

  if (!visible) return null;

  function jump(event: MouseEvent<HTMLAnchorElement>, id: string) {
    event.preventDefault();
    const el = document.getElementById(id);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  }

  const fieldEntries = Object.entries(errors.fields);
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="error-summary">
      <h2>{t('error.summaryTitle')}</h2>
      <ul>
        {errors.general.map((message, i) => (
          <li key={`g${i}`}>{message}</li>
        ))}
        {fieldEntries.map(([id, message]) => (
          <li key={id}>
            <a href={`#${id}`} onClick={(e) => jump(e, id)}>
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A short message after an action: polite for success, assertive for failure. */
export function Notice({ kind, children, testId }: { kind: 'success' | 'error' | 'info'; children: ReactNode; testId?: string }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}

/**
 * A complaint-page section whose data has not arrived: its title, then "loading…" or the error with a
 * retry button. The loaded section uses the same id, class and test id.
 */
export function SectionPending(props: { id: string; className: string; title: string; error: string | null; onRetry: () => void; retryLabel: string; loadingLabel: string }) {
  return (
    <section className={`card ${props.className}`} aria-labelledby={`${props.id}-title`} data-testid={`${props.id}-section`} data-loaded="false">
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.error ? (
        <>
          <Notice kind="error">{props.error}</Notice>
          <button type="button" className="btn btn-secondary" onClick={props.onRetry}>
            {props.retryLabel}
          </button>
        </>
      ) : (
        <p className="loading">{props.loadingLabel}</p>
      )}
    </section>
  );
}

/**
 * The value a contact field takes after a customer lookup: the customer found's (empty when none was
 * found, or the customer lacks it) when the agent left the field empty or as the previous lookup
 * filled it; what the agent typed otherwise. So one caller's details never stay on the next caller's
 * complaint, where Sen would match them to the earlier customer.
 */
export function refill(current: string, lastFilled: string, found: string): string {
  return !current.trim() || current === lastFilled ? found : current;
}
