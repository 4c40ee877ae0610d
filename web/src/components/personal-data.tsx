// Pieces shared by the personal-data registers (data subjects' requests, personal-data breaches): a card
// per record with its deadlines, a row of actions each opening a small form inside the card, and what the
// last action did.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError } from '../api';
import { describeError, formErrorsFrom, NO_ERRORS, useFormErrors, type FormErrors } from '../errors';
import { useI18n, type I18n } from '../i18n';
import { DateTime } from './badges';
import { Notice } from './forms';
import '../personal-data.css';

/** A deadline in Vietnam time, with "overdue" in words as well as colour. */
export function Deadline({ iso, overdue, overdueText }: { iso: string; overdue: boolean; overdueText?: string }) {
  const { t } = useI18n();
  return (
    <span className={overdue ? 'due due-overdue' : 'due'} data-overdue={overdue ? 'true' : 'false'}>
      <DateTime iso={iso} />
      {overdue ? <span className="due-flag">{overdueText ?? t('dataRequests.overdue')}</span> : null}
    </span>
  );
}

/** A free text of the record under its label, line breaks kept. */
export function Quoted({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="pd-quoted" data-testid={testId}>
      <p className="pd-quoted-label">{label}</p>
      <p className="pd-quoted-text">{children}</p>
    </div>
  );
}

/** What the last action of a card did, worded in the current language, focused when it appears. */
export type Feedback = ((tr: I18n['t']) => string) | null;

export function CardFeedback({ feedback, testId }: { feedback: Feedback; testId: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (feedback) ref.current?.focus();
  }, [feedback]);
  return (
    <div aria-live="polite">
      {feedback ? (
        <div ref={ref} tabIndex={-1} className="notice notice-success" role="status" data-testid={testId}>
          {feedback(t)}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Which of a card's action forms is open (one at a time) and what the last action did. Closing a form
 * without sending it gives the focus back to its button.
 */
export interface CardPanels<P extends string> {
  panel: P | null;
  feedback: Feedback;
  toggle: (next: P) => void;
  cancel: (which: P) => void;
  finish: (text: (tr: I18n['t']) => string) => void;
  buttonRef: (which: P) => (el: HTMLButtonElement | null) => void;
}

export function useCardPanels<P extends string>(): CardPanels<P> {
  const [panel, setPanel] = useState<P | null>(null);
  // Kept as how to word it (a language switch re-words it); an action's failures stay in its form.
  const [feedback, setFeedback] = useState<Feedback>(null);
  const buttons = useRef<Partial<Record<P, HTMLButtonElement | null>>>({});

  return {
    panel,
    feedback,
    toggle(next: P) {
      setFeedback(null);
      setPanel((p) => (p === next ? null : next));
    },
    cancel(which: P) {
      setPanel(null);
      window.setTimeout(() => buttons.current[which]?.focus());
    },
    /** The action went through: its form closes and `text` says what it did. */
    finish(text: (tr: I18n['t']) => string) {
      setPanel(null);
      setFeedback(() => text);
    },
    buttonRef: (which: P) => (el: HTMLButtonElement | null) => {
      buttons.current[which] = el;
    },
  };
}

export interface CardAction<P extends string> {
  panel: P;
  label: string;
  shown: boolean;
}

/** A card's action buttons, each opening its form (`${idPrefix}-${panel}`) below. */
export function CardActions<P extends string>({
  label,
  actions,
  panels,
  idPrefix,
  testIdPrefix,
}: {
  label: string;
  actions: CardAction<P>[];
  panels: CardPanels<P>;
  idPrefix: string;
  testIdPrefix: string;
}) {
  return (
    <div className="actions-row pd-actions" role="group" aria-label={label}>
      {actions
        .filter((a) => a.shown)
        .map((a) => (
          <button
            key={a.panel}
            ref={panels.buttonRef(a.panel)}
            type="button"
            className={panels.panel === a.panel ? 'btn btn-secondary btn-small pd-action-on' : 'btn btn-secondary btn-small'}
            aria-expanded={panels.panel === a.panel}
            aria-controls={`${idPrefix}-${a.panel}`}
            onClick={() => panels.toggle(a.panel)}
            data-testid={`${testIdPrefix}-${a.panel}`}
          >
            {a.label}
          </button>
        ))}
    </div>
  );
}

/**
 * Sends one action of a card (POST `${basePath}/${action}`): field errors beside their inputs (`fieldIds`
 * maps the API's fields to input ids), a refusal of the action itself (409) as a conflict, anything else
 * in the form's summary.
 */
export function useCardAction<T>(basePath: string, fieldIds: Record<string, string>) {
  const [errors, setErrors] = useFormErrors();
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<ApiError | null>(null);

  async function send(action: string, body: unknown, onDone: (next: T) => void) {
    if (busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    setConflict(null);
    try {
      onDone(await api.post<T>(`${basePath}/${action}`, body));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(err);
      else setErrors((tr) => formErrorsFrom(err, tr, fieldIds));
    } finally {
      setBusy(false);
    }
  }
  return { errors, setErrors, busy, conflict, send };
}

/** Why the server refused an action, focused when it appears; `children` may say what to do first. */
export function Conflict({ conflict, testId, children }: { conflict: ApiError | null; testId: string; children?: ReactNode }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (conflict) ref.current?.focus();
  }, [conflict]);
  if (!conflict) return null;
  return (
    <div ref={ref} tabIndex={-1} className="notice notice-error" role="alert" data-testid={testId}>
      {describeError(conflict, t)}
      {children ? <> {children}</> : null}
    </div>
  );
}

/** Errors of an inline form that belong to no field (its field errors stand beside the inputs). */
export function GeneralErrors({ errors, testId }: { errors: FormErrors; testId: string }) {
  if (!errors.general.length) return null;
  return (
    <Notice kind="error" testId={testId}>
      {errors.general.join(' ')}
    </Notice>
  );
}

/** Send and cancel of an inline form. */
export function FormButtons({ busy, submitLabel, onCancel, testId }: { busy: boolean; submitLabel: string; onCancel: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="form-actions actions-row">
      <button type="submit" className="btn btn-primary btn-small" disabled={busy} aria-busy={busy} data-testid={testId}>
        {busy ? t('common.saving') : submitLabel}
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
        {t('customerPage.cancel')}
      </button>
    </div>
  );
}
