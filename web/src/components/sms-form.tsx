import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { smsParts, smsText, SMS_MAX_LENGTH, type ComplaintDetail } from '../types';
import { TextArea } from './forms';

// Nhắn tin SMS cho khách: an agent texts the customer's phone from the complaint. What the phone will show (without
// diacritics) and how many messages it takes are worked out as they type, with the server's own folding (domain/sms.ts);
// the server folds and checks again and is the judge.

export function SmsForm({
  detail,
  afterEvent,
  busy,
  onSent,
  onFailed,
}: {
  detail: ComplaintDetail;
  afterEvent: number;
  busy: boolean;
  onSent: (next: ComplaintDetail) => void;
  onFailed: (err: unknown) => Promise<void> | void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [sending, setSending] = useState(false);
  const folded = smsText(text);
  const tooLong = folded.length > SMS_MAX_LENGTH;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || sending) return;
    if (!folded) {
      setError(t('sms.required'));
      document.getElementById('sms-text')?.focus();
      return;
    }
    if (tooLong) {
      setError(t('sms.tooLong', { max: SMS_MAX_LENGTH }));
      document.getElementById('sms-text')?.focus();
      return;
    }
    setSending(true);
    try {
      const next = await api.post<ComplaintDetail>(`/api/v1/complaints/${encodeURIComponent(detail.code)}/sms`, { text, afterEvent });
      setText('');
      setError(undefined);
      onSent(next);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) setError(err.fields[0].message);
      await onFailed(err);
    } finally {
      setSending(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="sms-form">
      <TextArea
        id="sms-text"
        label={t('sms.text')}
        hint={t('sms.hint', { phone: detail.customer.phone ?? '' })}
        extraDescription="sms-preview"
        required
        rows={3}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (error) setError(undefined);
        }}
        error={error}
        data-testid="sms-input"
      />
      {folded ? (
        <p className={tooLong ? 'field-error' : 'field-hint'} id="sms-preview" aria-live="polite" data-testid="sms-preview">
          {t('sms.preview', { count: folded.length, max: SMS_MAX_LENGTH, parts: smsParts(folded) })} <q lang="vi">{folded}</q>
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy || sending} data-testid="sms-submit">
        {sending ? t('sms.sending') : t('sms.submit')}
      </button>
    </form>
  );
}
