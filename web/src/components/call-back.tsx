import { formatDateTime, fromVietnamLocalInput, toVietnamLocalInput } from '../format';
import { useI18n } from '../i18n';
import type { PromisedCallBack } from '../types';
import { DateTimeField } from './forms';
import { reminderTime } from './reminders';

/*
 * Hẹn gọi lại — the call back an agent promises the customer while logging a contact (the complaint's contact form,
 * the hotline's call form): Sen reminds them at that time, the complaint shows the promise to whoever handles it, and
 * the next contact logged keeps it.
 */

/** The optional "Hẹn gọi lại lúc" field, in Vietnam wall time (value as the DateTimeInput gives it: YYYY-MM-DDTHH:mm). */
export function CallBackField({ id, value, onValue, error }: { id: string; value: string; onValue: (v: string) => void; error?: string }) {
  const { t } = useI18n();
  return (
    <DateTimeField
      id={id}
      label={t('callBack.field')}
      hint={t('callBack.hint')}
      optional
      min={toVietnamLocalInput(new Date().toISOString())}
      value={value}
      onValue={onValue}
      error={error}
      data-testid={id}
    />
  );
}

/**
 * What the field holds for the API: nothing when empty, the instant when it is a whole date and time, and `false`
 * when it is something else (a half-typed time), which the form reports on the field instead of sending.
 */
export function callBackValue(value: string): { callBackAt?: string } | false {
  if (!value.trim()) return {};
  const iso = fromVietnamLocalInput(value);
  return iso ? { callBackAt: iso } : false;
}

/** The call backs promised on a complaint and not yet made, in its customer card; one past its time says so. */
export function PromisedCallBacks({ list, now = Date.now() }: { list: PromisedCallBack[] | undefined; now?: number }) {
  const { t, lang } = useI18n();
  if (!list?.length) return null;
  return (
    <div className="call-backs" data-testid="call-backs">
      <h3 className="small-heading">{t('callBack.promised')}</h3>
      <ul>
        {list.map((c) => {
          const late = new Date(c.at).getTime() <= now;
          return (
            <li key={`${c.staffId}-${c.at}`} data-testid="call-back" data-at={c.at} data-late={late ? 'true' : 'false'}>
              <time dateTime={c.at}>{t('callBack.by', { at: reminderTime(c.at, lang), name: c.staffName })}</time>
              {late ? <span className="badge inv-badge inv-badge-overdue">{t('callBack.late')}</span> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The promise as the contact's timeline entry shows it. */
export function CallBackLine({ at }: { at: string }) {
  const { t } = useI18n();
  return (
    <p className="timeline-change" data-testid="timeline-call-back" data-at={at}>
      {t('callBack.timeline', { at: formatDateTime(at) })}
    </p>
  );
}
