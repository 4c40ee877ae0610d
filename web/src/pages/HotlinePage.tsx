import { CallBackField, callBackValue } from '../components/call-back';
import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, ApiError, isAbort } from '../api';
import { DateTime, DueDate, StatusBadge } from '../components/badges';
import { VulnerableGroupSelect } from '../components/vulnerability';
import { LanguageSelect } from '../components/language';
import { CheckboxField, DateTimeField, ErrorSummary, Notice, ProvinceSelect, SelectField, TextArea, TextField, refill } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import { describeError, formErrorsFrom, hasErrors, NO_ERRORS, useFormErrors, type FormErrors } from '../errors';
import { formatDateTime, formatDuration, fromVietnamLocalInput, newIdempotencyKey, toVietnamLocalInput } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { navigate } from '../router';
import {
  PRIORITIES,
  type CallInput,
  type CallLogged,
  type Category,
  type CustomerLookup,
  type Language,
  type ListOf,
  type Priority,
  type VulnerableGroup,
  type RecentCall,
} from '../types';

/** API field path → input id. The complaint a call opens is checked like any new complaint. */
const FIELD_IDS: Record<string, string> = {
  caller: 'caller',
  'customer.phone': 'caller',
  customer: 'caller',
  startedAt: 'call-start',
  endedAt: 'call-end',
  notes: 'call-notes',
  summary: 'call-notes',
  callBackAt: 'call-callback',
  complaintCode: 'call-target-new',
  'complaint.customerName': 'hl-name',
  'customer.name': 'hl-name',
  'complaint.email': 'hl-email',
  'customer.email': 'hl-email',
  'complaint.province': 'hl-province',
  'customer.province': 'hl-province',
  'complaint.consent': 'hl-consent',
  'complaint.subject': 'hl-subject',
  subject: 'hl-subject',
  'complaint.description': 'hl-description',
  description: 'hl-description',
  'complaint.orderRef': 'hl-orderRef',
  orderRef: 'hl-orderRef',
  'complaint.categoryId': 'hl-category',
  categoryId: 'hl-category',
  'complaint.priority': 'hl-priority',
  'complaint.vulnerableGroup': 'hl-vulnerable-group',
  'complaint.language': 'hl-language',
  priority: 'hl-priority',
};

/** What the page that a flash message lands on reads from history.state. */
export interface FlashState {
  kind: 'sen.flash';
  key: MessageKey;
  params?: Record<string, string | number>;
}

export function isFlash(state: unknown): state is FlashState {
  return typeof state === 'object' && state !== null && (state as { kind?: unknown }).kind === 'sen.flash';
}

/**
 * A number as typed ("0912 345 678", "+84 912…", "84912…") reduced to one form — the national one
 * (0912345678) for Vietnam, +digits otherwise — or null until it looks whole. The server is the judge.
 */
export function completePhone(raw: string): string | null {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  const plus = trimmed.startsWith('+');
  if (digits.startsWith('84') && (plus || digits.length >= 11)) return /^84[1-9]\d{8,9}$/.test(digits) ? `0${digits.slice(2)}` : null;
  if (plus) return /^\d{8,15}$/.test(digits) ? `+${digits}` : null;
  return /^0[1-9]\d{8,9}$/.test(digits) ? digits : null;
}

type LookupState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'failed' }
  | { state: 'done'; phone: string; result: CustomerLookup };

type RecentState = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'done'; items: RecentCall[] };

/** Đường dây nóng — the agent's fast form for the call in progress. */
export function HotlinePage() {
  return (
    <StaffLayout>
      <HotlineForm />
    </StaffLayout>
  );
}

function HotlineForm() {
  const { t, lang } = useI18n();
  useTitle(t('hotline.title'));
  // The call started when the agent opened the form (unless a reported call says otherwise).
  const [openedAt] = useState(() => new Date().toISOString());
  const [caller, setCaller] = useState('');
  const [callId, setCallId] = useState<string | null>(null);
  const [startInput, setStartInput] = useState(() => toVietnamLocalInput(openedAt, true));
  const [endInput, setEndInput] = useState('');
  const [notes, setNotes] = useState('');
  const [callBackInput, setCallBackInput] = useState('');
  const [lookup, setLookup] = useState<LookupState>({ state: 'idle' });
  /** The agent's own choice: a complaint code, 'new', or null (not chosen yet). */
  const [choice, setChoice] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [province, setProvince] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [orderRef, setOrderRef] = useState('');
  const [categoryId, setCategoryId] = useState('');
  // Art. 8: asked when the caller says so (an elderly caller, say); the complaint is then at least high priority.
  const [vulnerableGroup, setVulnerableGroup] = useState<VulnerableGroup | ''>('');
  const [priority, setPriority] = useState<Priority>('normal');
  // Vietnamese unless the caller asks otherwise (not the console's own language).
  const [language, setLanguage] = useState<Language>('vi');
  // Never pre-ticked; another caller's number clears it (their consent is not this caller's).
  const [consent, setConsent] = useState(false);
  const [categories, setCategories] = useState<Category[]>([]);
  const [recent, setRecent] = useState<RecentState>({ state: 'loading' });
  const [errors, setErrors] = useFormErrors();
  const [submitting, setSubmitting] = useState(false);
  // One key per form: a double click or a retry after a lost answer logs one call, opens one complaint.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const prefilled = useRef({ name: '', email: '', province: '' });
  const [now, setNow] = useState(() => Date.now());

  const phone = completePhone(caller);

  // The number comes first: focus it once the page is there (after the layout moves focus to <main>).
  useEffect(() => {
    const timer = window.setTimeout(() => document.getElementById('caller')?.focus(), 0);
    return () => window.clearTimeout(timer);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListOf<Category>>('/api/v1/categories', { signal: controller.signal })
      .then((r) => setCategories(r.items.filter((c) => c.active)))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  const loadRecent = useCallback(async (signal?: AbortSignal) => {
    setRecent({ state: 'loading' });
    try {
      const r = await api.get<ListOf<RecentCall>>('/api/v1/calls/recent', { signal });
      setRecent({ state: 'done', items: r.items });
    } catch (err) {
      if (isAbort(err)) return;
      setRecent({ state: 'failed', message: describeError(err, t) });
    }
  }, [t]);

  useEffect(() => {
    const controller = new AbortController();
    void loadRecent(controller.signal);
    return () => controller.abort();
    // Loaded once when the form opens (and on "refresh"), not again when the language changes.
  }, []);

  // As the number is typed: once it looks whole, find the customer behind it (debounced).
  useEffect(() => {
    setConsent(false);
    if (!phone) {
      setLookup({ state: 'idle' });
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setLookup({ state: 'loading' });
      api
        .get<CustomerLookup>('/api/v1/customers/lookup', { query: { phone }, signal: controller.signal })
        .then((result) => {
          setLookup({ state: 'done', phone, result });
          // An unknown number empties what the previous caller's lookup filled in.
          const found = { name: result.customer?.name ?? '', email: result.customer?.email ?? '', province: result.customer?.province ?? '' };
          const last = prefilled.current;
          setName((prev) => refill(prev, last.name, found.name));
          setEmail((prev) => refill(prev, last.email, found.email));
          setProvince((prev) => refill(prev, last.province, found.province));
          prefilled.current = found;
        })
        .catch((err: unknown) => {
          if (isAbort(err) || (err instanceof ApiError && err.status === 401)) return;
          setLookup({ state: 'failed' });
        });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [phone]);

  // The running call's length ticks while it has no end.
  useEffect(() => {
    if (endInput) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [endInput]);

  const open = lookup.state === 'done' ? lookup.result.openComplaints : [];
  const chosenCode = choice && choice !== 'new' && open.some((c) => c.code === choice) ? choice : null;
  // Without open complaints there is nothing to choose: the call opens a new one.
  const target: string | null = chosenCode ?? (choice === 'new' || open.length === 0 ? 'new' : null);

  const startIso = fromVietnamLocalInput(startInput);
  const endIso = endInput ? fromVietnamLocalInput(endInput) : null;
  const durationSeconds = startIso ? Math.max(0, Math.round(((endIso ? new Date(endIso).getTime() : now) - new Date(startIso).getTime()) / 1000)) : null;

  function endCall() {
    setEndInput(toVietnamLocalInput(new Date().toISOString(), true));
  }

  function pickCall(call: RecentCall) {
    setCallId(call.id);
    if (call.caller) setCaller(call.caller);
    if (call.startedAt) setStartInput(toVietnamLocalInput(call.startedAt, true));
    if (call.endedAt) setEndInput(toVietnamLocalInput(call.endedAt, true));
    document.getElementById('caller')?.focus();
  }

  function validate(tr: I18n['t']): FormErrors {
    const fields: Record<string, string> = {};
    if (!caller.trim()) fields.caller = tr('validation.callerRequired');
    else if (!phone) fields.caller = tr('validation.callerInvalid');
    if (target === null) fields['call-target-first'] = tr('validation.targetRequired');
    if (target === 'new') {
      if (!name.trim()) fields['hl-name'] = tr('validation.nameRequired');
      if (email.trim() && !/^[^\s@]+@[^\s@]+$/.test(email.trim())) fields['hl-email'] = tr('validation.emailInvalid');
      if (!subject.trim()) fields['hl-subject'] = tr('validation.subjectRequired');
      if (!description.trim()) fields['hl-description'] = tr('validation.descriptionRequired');
    }
    if (!fromVietnamLocalInput(startInput)) fields['call-start'] = tr('validation.callStartRequired');
    const end = endInput ? fromVietnamLocalInput(endInput) : null;
    if (endInput && !end) fields['call-end'] = tr('validation.callEndInvalid');
    const start = fromVietnamLocalInput(startInput);
    if (start && end && end < start) fields['call-end'] = tr('validation.callEndBeforeStart');
    if (!notes.trim()) fields['call-notes'] = tr('validation.callNotesRequired');
    if (callBackValue(callBackInput) === false) fields['call-callback'] = tr('callBack.invalid');
    return { fields, general: [] };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (hasErrors(validate(t))) {
      setErrors(validate);
      return;
    }
    const body: CallInput = {
      caller: caller.trim(),
      startedAt: startIso!,
      ...(endIso ? { endedAt: endIso } : {}),
      notes: notes.trim(),
      ...(callId ? { callId } : {}),
      ...(callBackValue(callBackInput) || {}),
      ...(target === 'new'
        ? {
            complaint: {
              customerName: name.trim(),
              ...(email.trim() ? { email: email.trim() } : {}),
              ...(province ? { province } : {}),
              subject: subject.trim(),
              description: description.trim(),
              ...(orderRef.trim() ? { orderRef: orderRef.trim() } : {}),
              ...(categoryId ? { categoryId } : {}),
              priority,
              ...(vulnerableGroup ? { vulnerableGroup } : {}),
              language,
              consent,
            },
          }
        : { complaintCode: target! }),
    };
    setSubmitting(true);
    setErrors(NO_ERRORS);
    try {
      const r = await api.post<CallLogged>('/api/v1/calls', body, { headers: { 'Idempotency-Key': idempotencyKey } });
      const state: FlashState = { kind: 'sen.flash', key: r.created ? 'hotline.created' : 'hotline.attached', params: { code: r.code } };
      navigate(`/staff/complaints/${encodeURIComponent(r.code)}`, { state });
    } catch (err) {
      // Refused: nothing was stored, so the corrected form is a new attempt with a new key.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 409) setIdempotencyKey(newIdempotencyKey());
      setErrors((tr) => formErrorsFrom(err, tr, FIELD_IDS));
      setSubmitting(false);
    }
  }

  // Ctrl+Enter (⌘+Enter) sends from a multi-line box too; Enter in a one-line field sends as usual.
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.requestSubmit();
    }
  }

  const selectedCall = recent.state === 'done' ? recent.items.find((c) => c.id === callId) : undefined;

  return (
    <>
      <div className="page-head">
        <h1>{t('hotline.title')}</h1>
        <p className="lead">{t('hotline.intro')}</p>
      </div>
      <div className="hotline-grid">
        <form className="card form hotline-form" onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} noValidate data-testid="hotline-form">
          <ErrorSummary errors={errors} />
          <TextField
            id="caller"
            maxLength={40}
            label={t('hotline.caller')}
            hint={t('hotline.callerHint')}
            required
            type="tel"
            inputMode="tel"
            autoComplete="off"
            autoFocus
            value={caller}
            onChange={(e) => {
              setCaller(e.target.value);
              if (callId && selectedCall?.caller && completePhone(e.target.value) !== completePhone(selectedCall.caller)) setCallId(null);
            }}
            error={errors.fields.caller}
            data-testid="hotline-caller"
          />
          {callId ? (
            <div className="selected-call" data-testid="selected-call">
              <p>
                {t('hotline.selectedCall', {
                  caller: selectedCall?.caller ?? caller,
                  at: formatDateTime(selectedCall?.startedAt ?? startIso),
                })}
              </p>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setCallId(null)} data-testid="unselect-call">
                {t('hotline.unselectCall')}
              </button>
            </div>
          ) : null}

          <div aria-live="polite" className="lookup-region" data-testid="hotline-lookup" data-looked-up={lookup.state === 'done' ? lookup.phone : undefined}>
            {lookup.state === 'loading' ? <p className="muted">{t('new.lookingUp')}</p> : null}
            {lookup.state === 'failed' ? <p className="notice notice-error">{t('new.lookupFailed')}</p> : null}
            {lookup.state === 'done' ? (
              lookup.result.customer ? (
                <p className="lookup-box" data-testid="hotline-customer-found">
                  <strong>{t('hotline.customer', { name: lookup.result.customer.name })}</strong>
                  {lookup.result.customer.email ? <span className="muted"> · {lookup.result.customer.email}</span> : null}
                  <br />
                  <span className="muted">
                    {open.length ? t('hotline.openCount', { count: open.length }) : t('hotline.noOpen')}
                  </span>
                </p>
              ) : (
                <p className="lookup-box muted" data-testid="hotline-customer-new">
                  {t('hotline.newCaller')}
                </p>
              )
            ) : null}
          </div>

          {open.length ? (
            <fieldset className="call-target" data-testid="call-target">
              <legend>{t('hotline.attachTo')}</legend>
              <ul className="target-list">
                {open.map((c, i) => (
                  <li key={c.id} className="target-option">
                    <input
                      type="radio"
                      name="call-target"
                      id={i === 0 ? 'call-target-first' : `call-target-${c.code}`}
                      value={c.code}
                      checked={target === c.code}
                      onChange={() => setChoice(c.code)}
                      aria-describedby={errors.fields['call-target-first'] ? 'call-target-error' : undefined}
                      data-testid="call-target-option"
                      data-code={c.code}
                    />
                    <label htmlFor={i === 0 ? 'call-target-first' : `call-target-${c.code}`}>
                      <span className="target-code">{c.code}</span> <span className="target-subject">{c.subject}</span>
                      <span className="target-meta">
                        <StatusBadge status={c.status} /> <DueDate dueAt={c.dueAt} status={c.status} />
                      </span>
                    </label>
                  </li>
                ))}
                <li className="target-option">
                  <input
                    type="radio"
                    name="call-target"
                    id="call-target-new"
                    value="new"
                    checked={target === 'new'}
                    onChange={() => setChoice('new')}
                    data-testid="call-target-new"
                  />
                  <label htmlFor="call-target-new">{t('hotline.newComplaintOption')}</label>
                </li>
              </ul>
              {errors.fields['call-target-first'] ? (
                <p className="field-error" id="call-target-error" data-testid="error-call-target">
                  {errors.fields['call-target-first']}
                </p>
              ) : null}
            </fieldset>
          ) : null}

          {target === 'new' ? (
            <fieldset className="new-from-call" data-testid="hotline-new-complaint">
              <legend>{t('hotline.newComplaint')}</legend>
              <div className="grid-2">
                <TextField
                  id="hl-name"
                  maxLength={200}
                  label={t('field.name')}
                  required
                  autoComplete="off"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  error={errors.fields['hl-name']}
                  data-testid="hotline-name"
                />
                <TextField
                  id="hl-email"
                  maxLength={254}
                  label={t('field.email')}
                  optional
                  type="email"
                  autoComplete="off"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  error={errors.fields['hl-email']}
                  data-testid="hotline-email"
                />
              </div>
              <ProvinceSelect
                id="hl-province"
                optional
                value={province}
                onChange={(e) => setProvince(e.target.value)}
                error={errors.fields['hl-province']}
                data-testid="hotline-province"
              />
              <TextField
                id="hl-subject"
                maxLength={300}
                label={t('field.subject')}
                required
                value={subject}
                onChange={(e) => setSubject(e.target.value)}
                error={errors.fields['hl-subject']}
                data-testid="hotline-subject"
              />
              <TextArea
                id="hl-description"
                maxLength={20000}
                label={t('field.description')}
                required
                rows={4}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                error={errors.fields['hl-description']}
                data-testid="hotline-description"
              />
              <div className="grid-3">
                <TextField
                  id="hl-orderRef"
                  maxLength={100}
                  label={t('field.orderRef')}
                  optional
                  value={orderRef}
                  onChange={(e) => setOrderRef(e.target.value)}
                  error={errors.fields['hl-orderRef']}
                  data-testid="hotline-order-ref"
                />
                <SelectField
                  id="hl-category"
                  label={t('field.category')}
                  value={categoryId}
                  onChange={(e) => setCategoryId(e.target.value)}
                  error={errors.fields['hl-category']}
                  data-testid="hotline-category"
                >
                  <option value="">{t('field.categoryNone')}</option>
                  {categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {lang === 'en' && c.nameEn ? c.nameEn : c.name}
                    </option>
                  ))}
                </SelectField>
                <SelectField
                  id="hl-priority"
                  label={t('field.priority')}
                  value={priority}
                  onChange={(e) => setPriority(e.target.value as Priority)}
                  error={errors.fields['hl-priority']}
                  data-testid="hotline-priority"
                >
                  {PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {t(`priority.${p}`)}
                    </option>
                  ))}
                </SelectField>
              </div>
              <VulnerableGroupSelect
                id="hl-vulnerable-group"
                audience="staff"
                value={vulnerableGroup}
                onChange={setVulnerableGroup}
                error={errors.fields['hl-vulnerable-group']}
                testId="hotline-vulnerable-group"
              />
              <LanguageSelect
                id="hl-language"
                value={language}
                onChange={setLanguage}
                error={errors.fields['hl-language']}
                testId="hotline-language"
              />
              <div className="consent">
                <p className="consent-script">{t('consent.text')}</p>
                <CheckboxField id="hl-consent" label={t('new.consent')} checked={consent} onChange={setConsent} error={errors.fields['hl-consent']} />
              </div>
            </fieldset>
          ) : null}

          <fieldset className="call-facts">
            <legend>{t('hotline.callSection')}</legend>
            <div className="grid-2">
              <DateTimeField
                id="call-start"
                withSeconds
                label={t('hotline.start')}
                hint={t('hotline.startHint')}
                required
                value={startInput}
                onValue={setStartInput}
                error={errors.fields['call-start']}
                data-testid="call-start"
              />
              <DateTimeField
                id="call-end"
                withSeconds
                label={t('hotline.end')}
                hint={t('hotline.endHint')}
                optional
                value={endInput}
                onValue={setEndInput}
                error={errors.fields['call-end']}
                data-testid="call-end"
              />
            </div>
            <div className="call-clock">
              <button type="button" className="btn btn-secondary" onClick={endCall} data-testid="end-call">
                <span aria-hidden="true">☎</span> {t('hotline.endCall')}
              </button>
              <span className="call-duration" data-testid="call-duration" data-ended={endIso ? 'true' : 'false'}>
                {endIso ? t('hotline.duration', { duration: formatDuration(durationSeconds) }) : t('hotline.running', { duration: formatDuration(durationSeconds) })}
              </span>
            </div>
            <TextArea
              id="call-notes"
              maxLength={20000}
              label={t('hotline.notes')}
              hint={t('hotline.notesHint')}
              required
              rows={4}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              error={errors.fields['call-notes']}
              data-testid="call-notes"
            />
            <CallBackField id="call-callback" value={callBackInput} onValue={setCallBackInput} error={errors.fields['call-callback']} />
          </fieldset>

          <div className="form-actions">
            <button type="submit" className="btn btn-primary btn-large" disabled={submitting} data-testid="hotline-submit">
              {submitting ? t('common.saving') : target && target !== 'new' ? t('hotline.submitAttach', { code: target }) : t('hotline.submitNew')}
            </button>
          </div>
        </form>

        <aside className="card recent-calls" aria-labelledby="recent-title" data-testid="recent-calls">
          <div className="recent-head">
            <h2 id="recent-title">{t('hotline.recentTitle')}</h2>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => void loadRecent()} data-testid="recent-refresh">
              {t('hotline.recentRefresh')}
            </button>
          </div>
          <p className="field-hint">{t('hotline.recentHint')}</p>
          {recent.state === 'loading' ? <p className="loading">{t('common.loading')}</p> : null}
          {recent.state === 'failed' ? <Notice kind="error">{recent.message}</Notice> : null}
          {recent.state === 'done' && recent.items.length === 0 ? (
            <p className="muted" data-testid="recent-empty">
              {t('hotline.recentEmpty')}
            </p>
          ) : null}
          {recent.state === 'done' && recent.items.length ? (
            <ul className="recent-list">
              {recent.items.map((c) => {
                const selected = c.id === callId;
                const matches = phone && c.caller && completePhone(c.caller) === phone;
                return (
                  <li
                    key={c.id}
                    className={`recent-call${selected ? ' recent-call-selected' : ''}${matches ? ' recent-call-match' : ''}`}
                    data-testid="recent-call"
                    data-id={c.id}
                    data-caller={c.caller ?? ''}
                  >
                    <p className="recent-caller">{c.caller ?? '—'}</p>
                    <p className="recent-meta muted">
                      <DateTime iso={c.startedAt} />
                      {c.durationSeconds !== null ? ` · ${formatDuration(c.durationSeconds)}` : ''}
                      {c.agent ? ` · ${c.agent}` : ''}
                    </p>
                    <button
                      type="button"
                      className={selected ? 'btn btn-primary btn-small' : 'btn btn-secondary btn-small'}
                      onClick={() => pickCall(c)}
                      aria-pressed={selected}
                      aria-label={t('hotline.pickCallLabel', { caller: c.caller ?? '—', at: formatDateTime(c.startedAt) })}
                      data-testid="pick-call"
                    >
                      {selected ? t('hotline.picked') : t('hotline.pickCall')}
                    </button>
                  </li>
                );
              })}
            </ul>
          ) : null}
        </aside>
      </div>
    </>
  );
}
