import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { describeError } from '../errors';
import { markNotificationRead } from '../notifications';
import { formatDateTime, fromVietnamLocalInput, toVietnamLocalInput } from '../format';
import { useI18n, type Lang, type MessageKey } from '../i18n';
import type { ComplaintReminders, Reminder, ReminderPresetKey } from '../types';
import { useApiData } from './followup-common';
import { DateTimeField, Notice, TextField } from './forms';

const weekdays: Record<Lang, Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', { weekday: 'long', timeZone: 'Asia/Ho_Chi_Minh' }),
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Asia/Ho_Chi_Minh' }),
};

/** "Thứ Hai, 30/11/2026 08:00": a reminder's time with its weekday, which is what one plans a call-back by. */
export function reminderTime(iso: string, lang: Lang): string {
  return `${weekdays[lang].format(new Date(iso))}, ${formatDateTime(iso)}`;
}

/** What a reminder says beside its time: the member's note, "Hẹn gọi lại khách hàng" for a promised call back, or "no note". */
export function reminderText(r: Reminder, t: ReturnType<typeof useI18n>['t']): { text: string; muted: boolean } {
  if (r.callBack) return { text: r.note || t('callBack.reminder'), muted: false };
  return r.note ? { text: r.note, muted: false } : { text: t('reminders.noNote'), muted: true };
}

/** "Bỏ nhắc", naming the reminder's time for a screen reader. */
export function ReminderDeleteButton({ reminder, onDelete }: { reminder: Reminder; onDelete: () => void }) {
  const { t, lang } = useI18n();
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small"
      aria-label={t('reminders.delete', { at: reminderTime(reminder.at, lang) })}
      onClick={onDelete}
      data-testid="reminder-delete"
    >
      {t('reminders.deleteShort')}
    </button>
  );
}

/** Deletes one of the member's reminders (nobody else's: the API answers 404). */
export function deleteReminder(id: string): Promise<void> {
  return api.delete<void>(`/api/v1/reminders/${encodeURIComponent(id)}`);
}

/**
 * Nhắc tôi — on a complaint's page, the member's own reminders on it and how to set one: a line to themselves, then
 * one of the quick choices the server placed on the working calendar (in an hour, next working morning …) or a time
 * they pick. Sen tells them when it is due (Thông báo, and a mail); nothing of the complaint changes.
 */
export function RemindersCard({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const path = `/api/v1/complaints/${encodeURIComponent(code)}/reminders`;
  const { value: data, error: loadError, reload: load } = useApiData<ComplaintReminders>(path);
  const [note, setNote] = useState('');
  const [custom, setCustom] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>();
  const [atError, setAtError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  async function set(at: string) {
    if (busy) return;
    setBusy(true);
    setSaid(null);
    setNoteError(undefined);
    setAtError(undefined);
    try {
      const made = await api.post<Reminder>(path, { at, ...(note.trim() ? { note: note.trim() } : {}) });
      setNote('');
      setCustom('');
      setSaid({ kind: 'success', text: t('reminders.saved', { at: reminderTime(made.at, lang) }) });
      await load();
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      const atField = fields.find((f) => f.field === 'at');
      const noteField = fields.find((f) => f.field === 'note');
      if (atField) setAtError(atField.message);
      if (noteField) setNoteError(noteField.message);
      if (noteField) document.getElementById('reminder-note')?.focus();
      else if (atField) document.getElementById('reminder-at')?.focus();
      setSaid({ kind: 'error', text: describeError(err, t) });
      // The quick choices may have moved on (an hour from now is later now): read them again.
      await load();
    } finally {
      setBusy(false);
    }
  }

  function submitCustom(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const iso = fromVietnamLocalInput(custom);
    if (!iso) {
      setAtError(t('reminders.customRequired'));
      document.getElementById('reminder-at')?.focus();
      return;
    }
    void set(iso);
  }

  async function remove(r: Reminder) {
    setSaid(null);
    try {
      await deleteReminder(r.id);
      setSaid({ kind: 'success', text: t('reminders.deleted', { at: reminderTime(r.at, lang) }) });
      await load();
    } catch (err) {
      setSaid({ kind: 'error', text: describeError(err, t) });
    }
    document.getElementById('reminders-title')?.focus();
  }

  return (
    <section className="card" aria-labelledby="reminders-title" data-testid="reminders-section">
      <h2 id="reminders-title" tabIndex={-1}>
        {t('reminders.section')}
      </h2>
      <p className="muted">{t('reminders.intro')}</p>
      {loadError && !data ? <Notice kind="error">{describeError(loadError, t)}</Notice> : null}
      {data ? (
        <>
          {data.items.length ? (
            <>
              <h3 className="small-heading">{t('reminders.waiting')}</h3>
              <ul className="reminder-list" data-testid="reminders-waiting">
                {data.items.map((r) => (
                  <li key={r.id} className="reminder" data-testid="reminder" data-id={r.id}>
                    <div>
                      <p className="reminder-time">{reminderTime(r.at, lang)}</p>
                      <ReminderNote reminder={r} />
                    </div>
                    <ReminderDeleteButton reminder={r} onDelete={() => void remove(r)} />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted" data-testid="reminders-none">
              {t('reminders.none')}
            </p>
          )}
          {data.recent.length ? (
            <>
              <h3 className="small-heading">{t('reminders.told')}</h3>
              <ul className="reminder-list reminder-list-told" data-testid="reminders-told">
                {data.recent.map((r) => (
                  <li key={r.id} className="reminder" data-testid="reminder-told">
                    <div>
                      <p className="reminder-time">{reminderTime(r.at, lang)}</p>
                      <ReminderNote reminder={r} />
                    </div>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <TextField
            id="reminder-note"
            label={t('reminders.note')}
            hint={t('reminders.noteHint')}
            optional
            maxLength={500}
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              setNoteError(undefined);
            }}
            error={noteError}
            data-testid="reminder-note"
          />
          <fieldset className="reminder-presets">
            <legend className="small-heading">{t('reminders.quick')}</legend>
            <div className="actions-row">
              {data.presets.map((p) => (
                <PresetButton key={p.key} preset={p} busy={busy} onPick={() => void set(p.at)} />
              ))}
            </div>
          </fieldset>
          <form onSubmit={submitCustom} noValidate data-testid="reminder-custom">
            <DateTimeField
              id="reminder-at"
              label={t('reminders.custom')}
              hint={t('reminders.customHint')}
              min={toVietnamLocalInput(new Date().toISOString())}
              value={custom}
              onValue={(v) => {
                setCustom(v);
                setAtError(undefined);
              }}
              error={atError}
              data-testid="reminder-at"
            />
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="reminder-submit">
              {busy ? t('common.saving') : t('reminders.set')}
            </button>
          </form>
        </>
      ) : loadError ? null : (
        <p className="loading">{t('common.loading')}</p>
      )}
      {said ? (
        <Notice kind={said.kind} testId="reminders-feedback">
          {said.text}
        </Notice>
      ) : null}
    </section>
  );
}

function PresetButton({ preset, busy, onPick }: { preset: { key: ReminderPresetKey; at: string }; busy: boolean; onPick: () => void }) {
  const { t, lang } = useI18n();
  const label = t(`reminders.preset.${preset.key}` as MessageKey);
  // An hour from now is a time of today: the weekday would only repeat it.
  const at = preset.key === 'in_1_hour' ? formatDateTime(preset.at).slice(11) : reminderTime(preset.at, lang);
  return (
    <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={onPick} data-testid={`reminder-preset-${preset.key}`} data-at={preset.at}>
      {t('reminders.presetAt', { label, at })}
    </button>
  );
}

/** The quick choices offered again on a reminder's notification: later today, or the next working morning. */
const SNOOZE_PRESETS: ReminderPresetKey[] = ['in_1_hour', 'next_working_morning'];

/**
 * Nhắc lại sau — on a reminder's notification: remind me again in an hour or on the next working morning (the
 * server places the time on the working calendar); the notification is then read.
 */
export function ReminderSnooze({ reminderId, notificationId }: { reminderId: string; notificationId: number }) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  async function snooze(preset: ReminderPresetKey) {
    if (busy) return;
    setBusy(true);
    setSaid(null);
    try {
      const r = await api.post<Reminder>(`/api/v1/reminders/${encodeURIComponent(reminderId)}/snooze`, { preset });
      setSaid({ kind: 'success', text: t('reminders.saved', { at: reminderTime(r.at, lang) }) });
      await markNotificationRead(notificationId).catch(() => undefined);
    } catch (err) {
      setSaid({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="reminder-snooze">
      <span className="muted">{t('reminders.snooze')}</span>
      {SNOOZE_PRESETS.map((p) => (
        <button key={p} type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void snooze(p)} data-testid={`reminder-snooze-${p}`}>
          {t(`reminders.preset.${p}` as MessageKey)}
        </button>
      ))}
      {said ? (
        <Notice kind={said.kind} testId="reminder-snooze-feedback">
          {said.text}
        </Notice>
      ) : null}
    </div>
  );
}

/** In a queue row: when the member asked to be reminded of the complaint (the soonest one waiting). */
export function RowReminder({ at }: { at: string | null | undefined }) {
  const { t, lang } = useI18n();
  if (!at) return null;
  return (
    <span className="row-reminder" data-testid="row-reminder" data-at={at}>
      {t('reminders.row', { at: reminderTime(at, lang) })}
    </span>
  );
}

function ReminderNote({ reminder }: { reminder: Reminder }) {
  const { t } = useI18n();
  const { text, muted } = reminderText(reminder, t);
  return (
    <p className={muted ? 'reminder-note muted' : 'reminder-note'} data-call-back={reminder.callBack ? 'true' : undefined}>
      {text}
    </p>
  );
}
