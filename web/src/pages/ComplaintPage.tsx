import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { SurveyForm } from '../components/portal-resolution';
import { api, ApiError, isAbort } from '../api';
import { DateTime, PriorityBadge, StatusBadge } from '../components/badges';
import { ClockList, useClockName } from '../components/clocks';
import { AttachmentList, AttachmentUploader, fileKind, formatBytes, ReceiptButtons } from '../components/files';
import { ReplyFilePicker, replyFilesProblem, sendableFiles } from '../components/reply-files';
import { SmsForm } from '../components/sms-form';
import { DateTimeField, Notice, ProvinceSelect, SelectField, TextArea, TextField } from '../components/forms';
import { InvestigationEventPayload, InvestigationSection } from '../components/investigation';
import { ComplaintCorrection, CorrectionPayload, CustomerCorrection } from '../components/corrections';
import { RESOLUTION_EVENT_TYPES, ResolutionEventPayload, ResolutionSection, StatusChangeExtras } from '../components/resolution';
import { StaffLayout, useTitle } from '../components/layout';
import { useVulnerableLabel, VulnerableBadge, VulnerableGroupSelect } from '../components/vulnerability';
import { LanguageSelect, useLanguageName } from '../components/language';
import { RemindersCard } from '../components/reminders';
import { FollowButton } from '../components/follow';
import { MentionPicker, mentionable } from '../components/mentions';
import { PresenceNotice, usePresence } from '../components/presence';
import { appendToReply, ReplyTemplatePicker } from '../components/reply-templates';
import { describeError } from '../errors';
import { displayPhone, formatDateTime, formatDuration, fromVietnamLocalInput, toVietnamLocalInput } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { isFlash } from './HotlinePage';
import { lastQueueUrl, queueNeighbours } from './QueuePage';
import { focusById, useShortcuts } from '../shortcuts';
import { CallBackField, CallBackLine, PromisedCallBacks, callBackValue } from '../components/call-back';
import { useSession } from '../session';
import { can, canAssignTo } from '../../../src/policies';
import {
  CONTACT_METHODS,
  OPEN_STATUSES,
  transitionNeedsReason,
  PRIORITIES,
  type Category,
  type ClockOp,
  type ComplaintDetail,
  type ComplaintPatch,
  type ContactInput,
  type ContactMethod,
  type Language,
  type ListOf,
  type Priority,
  type Status,
  type SurveyAnswerResult,
  type TimelineEvent,
  type UserListItem,
  type VulnerableGroup,
} from '../types';

type Action = 'transition' | 'assign' | 'note' | 'reply' | 'sms' | 'classify' | 'contact' | 'dueDate' | 'attachments' | 'confirmContact';
interface Feedback {
  action: Action;
  kind: 'success' | 'error';
  text: string;
}

/** One complaint for staff: details, deadlines, timeline, and the actions allowed now. */
export function ComplaintPage({ code }: { code: string }) {
  return (
    <StaffLayout>
      <ComplaintView code={code} />
    </StaffLayout>
  );
}

function ComplaintView({ code }: { code: string }) {
  const { t, label, lang } = useI18n();
  useTitle(code);
  const languageName = useLanguageName();
  const { session } = useSession();
  // A message from the page that sent us here ("call logged on KN-…"), kept until the next action.
  const { state: navState } = useLocation();
  const [flash, setFlash] = useState(() => (isFlash(navState) ? navState : null));
  // Shown once: a reload or a later visit through history does not repeat it.
  useEffect(() => {
    if (isFlash(window.history.state)) window.history.replaceState(null, '', window.location.href);
  }, []);
  const [detail, setDetail] = useState<ComplaintDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [forbidden, setForbidden] = useState(false);
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [categories, setCategories] = useState<Category[]>([]);
  const [busy, setBusy] = useState<Action | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  // An action's button is disabled while it runs, so the keyboard focus falls to the page: it goes to
  // the action's result instead, and the next Tab continues from that section, not from the top.
  useEffect(() => {
    if (!feedback) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const el = document.querySelector<HTMLElement>(`[data-testid="${kebab(feedback.action)}-${feedback.kind === 'error' ? 'error' : 'message'}"]`);
    if (!el) return;
    el.tabIndex = -1;
    el.focus({ preventScroll: true });
  }, [feedback]);

  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  // Gộp khiếu nại trùng: the code of the complaint that carries on.
  const [mergeInto, setMergeInto] = useState('');
  const [mergeIntoError, setMergeIntoError] = useState<string | undefined>(undefined);
  const [assigneeId, setAssigneeId] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [province, setProvince] = useState('');
  const [vulnerableGroup, setVulnerableGroup] = useState<VulnerableGroup | ''>('');
  const [language, setLanguage] = useState<Language>('vi');
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>(undefined);
  // Nhắc đồng nghiệp: the colleagues the note will tell, and the server's word on one it refused.
  const [mentions, setMentions] = useState<string[]>([]);
  const [mentionError, setMentionError] = useState<string | undefined>(undefined);
  const [replyText, setReplyText] = useState('');
  const [replyError, setReplyError] = useState<string | undefined>(undefined);
  const [replyFiles, setReplyFiles] = useState<string[]>([]);
  // Whether an SMS gateway is set up: told by the complaint's own answers (others, such as a proposal's, do not say).
  const [smsAvailable, setSmsAvailable] = useState(false);
  useEffect(() => {
    if (detail?.smsAvailable !== undefined) setSmsAvailable(detail.smsAvailable);
  }, [detail]);
  const [replyFilesError, setReplyFilesError] = useState<string | undefined>(undefined);
  const [contactMethod, setContactMethod] = useState<ContactMethod>('call');
  const [contactSummary, setContactSummary] = useState('');
  const [contactCallBack, setContactCallBack] = useState('');
  const [contactErrors, setContactErrors] = useState<{ method?: string; summary?: string; callBackAt?: string }>({});
  const [dueInput, setDueInput] = useState('');
  const [dueError, setDueError] = useState<string | undefined>(undefined);
  // Resolving needs a root cause: asked beside the "resolved" button when the complaint has none.

  const path = `/api/v1/complaints/${encodeURIComponent(code)}`;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const found = await api.get<ComplaintDetail>(path, { signal });
        setDetail(found);
        syncForms(found);
        setLoadError(null);
        setNotFound(false);
      } catch (err) {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 404) setNotFound(true);
        else if (err instanceof ApiError && err.status === 403) setForbidden(true);
        else setLoadError(describeError(err, t));
      }
    },
    [path, t],
  );

  // Reload only when the complaint changes, not when the language does.
  useEffect(() => {
    const controller = new AbortController();
    setDetail(null);
    void load(controller.signal);
    return () => controller.abort();
  }, [path]);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListOf<UserListItem>>('/api/v1/users', { signal: controller.signal })
      .then((r) => setUsers(r.items))
      .catch(() => undefined);
    api
      .get<ListOf<Category>>('/api/v1/categories', { signal: controller.signal })
      .then((r) => setCategories(r.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  // The pickers start from the complaint's current values after every change.
  function syncForms(next: ComplaintDetail) {
    setAssigneeId(next.assignee?.id ?? '');
    setCategoryId(next.category?.id ?? '');
    setPriority(next.priority);
    setProvince(next.customer.province ?? '');
    setVulnerableGroup(next.vulnerableGroup ?? '');
    setLanguage(next.language);
  }

  function applied(next: ComplaintDetail, action: Action, text: string) {
    setDetail(next);
    syncForms(next);
    setFlash(null);
    setFeedback({ action, kind: 'success', text });
  }

  async function failed(action: Action, err: unknown) {
    let text = describeError(err, t);
    if (err instanceof ApiError && err.status === 409) {
      if (err.allowed.length) {
        text += ` ${t('complaint.allowedAre', { list: err.allowed.map((s) => label('transition', s)).join(', ') })}`;
      }
      // Someone else may have moved the complaint: show its current state and buttons.
      await load();
    }
    setFeedback({ action, kind: 'error', text });
  }

  async function transition(to: Status) {
    if (busy || !detail) return;
    setFeedback(null);
    setReasonError(undefined);
    setMergeIntoError(undefined);
    const trimmed = reason.trim();
    const into = mergeInto.trim();
    if (to === 'merged' && !into) {
      setMergeIntoError(t('complaint.mergeIntoRequired'));
      document.getElementById('transition-merge-into')?.focus();
      return;
    }
    if (!trimmed && transitionNeedsReason(detail.status, to)) {
      // Said at the field, before anything is sent.
      setReasonError(t('complaint.reasonRequiredFor', { action: label('transition', to) }));
      document.getElementById('transition-reason')?.focus();
      return;
    }
    setBusy('transition');
    try {
      const next = await api.post<ComplaintDetail>(`${path}/transitions`, {
        to,
        ...(trimmed ? { reason: trimmed } : {}),
        ...(to === 'merged' ? { mergedInto: into } : {}),
      });
      setReason('');
      setMergeInto('');
      applied(next, 'transition', t('complaint.statusChanged', { status: label('status', next.status) }));
    } catch (err) {
      // Some moves (reject, withdraw, merge, escalate, reopen) need a reason the API asks for.
      const reasonField = err instanceof ApiError ? err.fields.find((f) => f.field === 'reason') : undefined;
      const intoField = err instanceof ApiError ? err.fields.find((f) => f.field === 'mergedInto') : undefined;
      if (intoField) {
        setMergeIntoError(intoField.message);
        document.getElementById('transition-merge-into')?.focus();
      } else if (reasonField) {
        setReasonError(reasonField.message);
        document.getElementById('transition-reason')?.focus();
      } else await failed('transition', err);
    } finally {
      setBusy(null);
    }
  }

  async function assign(to: string | null) {
    if (busy) return;
    setBusy('assign');
    setFeedback(null);
    try {
      const next = await api.post<ComplaintDetail>(`${path}/assign`, { assigneeId: to });
      applied(next, 'assign', t('complaint.assigned'));
    } catch (err) {
      await failed('assign', err);
    } finally {
      setBusy(null);
    }
  }

  async function classify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !detail) return;
    const patch: ComplaintPatch = {};
    if (categoryId !== (detail.category?.id ?? '')) patch.categoryId = categoryId || null;
    if (priority !== detail.priority) patch.priority = priority;
    if (province !== (detail.customer.province ?? '')) patch.customerProvince = province || null;
    if (vulnerableGroup !== (detail.vulnerableGroup ?? '')) patch.vulnerableGroup = vulnerableGroup || null;
    if (language !== detail.language) patch.language = language;
    if (!Object.keys(patch).length) return;
    setBusy('classify');
    setFeedback(null);
    try {
      const next = await api.patch<ComplaintDetail>(path, patch);
      applied(next, 'classify', t('complaint.classified'));
    } catch (err) {
      await failed('classify', err);
    } finally {
      setBusy(null);
    }
  }

  /** Sends one text field (an internal note, a reply to the customer): empty is refused here, a server's field error shown beside it. */
  async function sendText(
    event: FormEvent<HTMLFormElement>,
    f: {
      action: 'note' | 'reply';
      url: string;
      text: string;
      /** More of the body than the text (the note's mentions). */
      extra?: Record<string, unknown>;
      clear: () => void;
      setError: (e: string | undefined) => void;
      /** A server's error on another field than the text (the mentions). */
      setOtherError?: (field: string, e: string | undefined) => boolean;
      inputId: string;
      required: string;
      done: string;
    },
  ) {
    event.preventDefault();
    if (busy) return;
    if (!f.text.trim()) {
      f.setError(f.required);
      document.getElementById(f.inputId)?.focus();
      return;
    }
    f.setError(undefined);
    setBusy(f.action);
    setFeedback(null);
    try {
      const next = await api.post<ComplaintDetail>(f.url, { body: f.text.trim(), ...f.extra });
      f.clear();
      applied(next, f.action, f.done);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length && !f.setOtherError?.(err.fields[0].field, err.fields[0].message)) f.setError(err.fields[0].message);
      await failed(f.action, err);
    } finally {
      setBusy(null);
    }
  }

  const addNote = (event: FormEvent<HTMLFormElement>) =>
    sendText(event, {
      action: 'note',
      url: `${path}/notes`,
      text: note,
      extra: mentions.length ? { mentions } : {},
      clear: () => {
        setNote('');
        setMentions([]);
        setMentionError(undefined);
      },
      setError: setNoteError,
      setOtherError: (field, message) => {
        if (!field.startsWith('mentions')) return false;
        setMentionError(message);
        return true;
      },
      inputId: 'note-body',
      required: t('validation.noteRequired'),
      done: t('complaint.noteAdded'),
    });

  /** A reply template's filled text goes into the reply (after what is written), and the agent goes on writing there. */
  function insertIntoReply(text: string) {
    setReplyText((current) => appendToReply(current, text));
    setReplyError(undefined);
    // Once the text is on screen: the caret at its end, where the agent edits or signs.
    window.requestAnimationFrame(() => {
      const area = document.getElementById('reply-body');
      if (!(area instanceof HTMLTextAreaElement)) return;
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
      area.scrollTop = area.scrollHeight;
    });
  }

  function sendReply(event: FormEvent<HTMLFormElement>) {
    // Files past what a mail may carry are said at once, before the text is checked or anything is sent.
    if (replyFilesProblem(sendableFiles(detail?.attachments ?? []), replyFiles, t)) {
      event.preventDefault();
      document.getElementById('reply-files')?.focus();
      return;
    }
    return sendText(event, {
      action: 'reply',
      url: `${path}/replies`,
      text: replyText,
      // The last event on screen: a colleague's contact with the customer after it stops this reply once (409), and
      // the page reloads to show it; sent again, the reply goes (it has now been seen).
      extra: { afterEvent: lastSeenEvent(detail), ...(replyFiles.length ? { attachments: replyFiles } : {}) },
      clear: () => {
        setReplyText('');
        setReplyFiles([]);
        setReplyFilesError(undefined);
      },
      setError: setReplyError,
      setOtherError: (field, message) => {
        if (!field.startsWith('attachments')) return false;
        setReplyFilesError(message);
        document.getElementById('reply-files')?.focus();
        return true;
      },
      inputId: 'reply-body',
      required: t('validation.replyRequired'),
      done: replyFiles.length ? t('replyFiles.sent', { count: replyFiles.length }) : t('reply.sent'),
    });
  }

  async function logContact(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const summary = contactSummary.trim();
    if (!summary) {
      setContactErrors({ summary: t('validation.contactSummaryRequired') });
      document.getElementById('contact-summary')?.focus();
      return;
    }
    const callBack = callBackValue(contactCallBack);
    if (!callBack) {
      setContactErrors({ callBackAt: t('callBack.invalid') });
      document.getElementById('contact-callback')?.focus();
      return;
    }
    setContactErrors({});
    setBusy('contact');
    setFeedback(null);
    try {
      const body: ContactInput = { method: contactMethod, summary, ...callBack };
      const next = await api.post<ComplaintDetail>(`${path}/contacts`, body);
      setContactSummary('');
      setContactCallBack('');
      applied(next, 'contact', callBack.callBackAt ? t('callBack.set', { at: formatDateTime(callBack.callBackAt) }) : t('contact.logged'));
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const byField: { method?: string; summary?: string; callBackAt?: string } = {};
        for (const f of err.fields) {
          if (f.field === 'method' && !byField.method) byField.method = f.message;
          if (f.field === 'summary' && !byField.summary) byField.summary = f.message;
          if (f.field === 'callBackAt' && !byField.callBackAt) byField.callBackAt = f.message;
        }
        setContactErrors(byField);
        if (byField.summary) document.getElementById('contact-summary')?.focus();
        else if (byField.method) document.getElementById('contact-method')?.focus();
        else if (byField.callBackAt) document.getElementById('contact-callback')?.focus();
      }
      await failed('contact', err);
    } finally {
      setBusy(null);
    }
  }

  /** Adds a contact given with the complaint to the customer's record, once staff have checked it. */
  async function confirmContact(field: 'phone' | 'email') {
    if (busy) return;
    setBusy('confirmContact');
    setFeedback(null);
    try {
      const next = await api.post<ComplaintDetail>(`${path}/confirm-contact`, { field });
      applied(next, 'confirmContact', t('timeline.contactConfirmed'));
    } catch (err) {
      await failed('confirmContact', err);
    } finally {
      setBusy(null);
    }
  }

  async function saveDueDate(dueAt: string | null) {
    if (busy) return;
    setBusy('dueDate');
    setFeedback(null);
    setDueError(undefined);
    try {
      const next = await api.put<ComplaintDetail>(`${path}/due-date`, { dueAt });
      if (dueAt) setDueInput('');
      applied(next, 'dueDate', dueAt ? t('dueDate.saved', { at: formatDateTime(dueAt) }) : t('dueDate.cleared'));
    } catch (err) {
      const field = err instanceof ApiError ? err.fields.find((f) => f.field === 'dueAt') : undefined;
      if (field) {
        // The browser always sends a well-formed instant, so the API refusing it means it is not in the future.
        setDueError(field.code === 'invalid_value' ? t('validation.dueDateFuture') : field.message);
        document.getElementById('due-date')?.focus();
      }
      await failed('dueDate', err);
    } finally {
      setBusy(null);
    }
  }

  function submitDueDate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!dueInput.trim()) {
      setDueError(t('validation.dueDateRequired'));
      document.getElementById('due-date')?.focus();
      return;
    }
    const iso = fromVietnamLocalInput(dueInput);
    if (!iso) {
      setDueError(t('validation.dueDateRequired'));
      document.getElementById('due-date')?.focus();
      return;
    }
    void saveDueDate(iso);
  }

  // A link to one event (a mention's notification: #event-12) shows that event once the timeline is there.
  const shownEvent = useRef<string | null>(null);
  useEffect(() => {
    const hash = window.location.hash;
    if (!detail || !/^#event-\d+$/.test(hash) || shownEvent.current === hash) return;
    const el = document.getElementById(hash.slice(1));
    if (!el) return;
    shownEvent.current = hash;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  }, [detail]);

  // Ai đang xem: those who work on complaints say they have it open, and whether they are writing to the customer.
  const present = !!detail && !!session && session.user.role !== 'auditor' && session.user.role !== 'department';
  const viewers = usePresence(code, replyText.trim() ? 'replying' : 'viewing', present);

  if (notFound) {
    return (
      <>
        <BackLink />
        <Notice kind="error" testId="complaint-not-found">
          {t('complaint.notFound', { code })}
        </Notice>
      </>
    );
  }
  if (forbidden) {
    // A department account sees only its consultations, never a complaint.
    return (
      <Notice kind="error" testId="complaint-forbidden">
        {t('complaint.forbidden')}{' '}
        {session?.user.role === 'department' ? <Link to="/staff/consultations">{t('queue.goToInbox')}</Link> : null}
      </Notice>
    );
  }
  if (loadError && !detail) {
    return (
      <>
        <BackLink />
        <Notice kind="error">{loadError}</Notice>
        <button type="button" className="btn btn-secondary" onClick={() => void load()}>
          {t('common.retry')}
        </button>
      </>
    );
  }
  if (!detail) return <p className="loading">{t('common.loading')}</p>;

  const readOnly = session?.user.role === 'auditor';
  const open = (OPEN_STATUSES as readonly Status[]).includes(detail.status);
  const manual = (detail.clocks ?? []).find((c) => c.kind === 'manual' && c.stoppedAt === null);
  // Only those this user may choose (an agent: themselves; a supervisor or admin: anyone), and the
  // current assignee, shown but not choosable again by an agent.
  const role = session?.user.role;
  const assignable = users.filter(
    (u) => u.role !== 'auditor' && ((role && session && canAssignTo(role, session.user.id, u.id)) || u.id === detail.assignee?.id),
  );
  const agentOnly = role === 'agent';
  // Moves that stand for something recorded with them (an information request, a proposal, its
  // implementation, a refusal, an escalation, a reopening) have their own forms; the server says which.
  const transitions = detail.plainTransitions ?? detail.allowedTransitions;
  const reasonNeededFor = transitions.filter((to) => transitionNeedsReason(detail.status, to));
  const dedicated = detail.allowedTransitions.filter((to) => !transitions.includes(to));
  const dedicatedInvestigation = dedicated.filter((to) => INVESTIGATION_TRANSITIONS.includes(to));
  const dedicatedResolution = dedicated.filter((to) => !INVESTIGATION_TRANSITIONS.includes(to));
  const categoryName = (id: string | undefined, fallback: string | undefined) => {
    const c = categories.find((x) => x.id === id);
    if (!c) return fallback ?? '—';
    return lang === 'en' && c.nameEn ? c.nameEn : c.name;
  };
  const feedbackFor = (action: Action) =>
    feedback?.action === action ? (
      <Notice kind={feedback.kind} testId={`${kebab(action)}-${feedback.kind === 'error' ? 'error' : 'message'}`}>
        {feedback.text}
      </Notice>
    ) : null;

  return (
    <div data-testid="complaint-detail">
      <BackLink code={detail.code} />
      <WritingShortcuts />
      {flash ? (
        <Notice kind="success" testId="flash-message">
          {t(flash.key, flash.params)}
        </Notice>
      ) : null}
      <PresenceNotice viewers={viewers} />
      <div className="complaint-head">
        <div>
          <p className="complaint-code" data-testid="complaint-page-code">
            {detail.code}
          </p>
          <h1 className="complaint-subject" data-testid="complaint-subject">
            {detail.subject}
          </h1>
          <FollowButton code={detail.code} canFollow={!readOnly} />
        </div>
        <div className="complaint-badges">
          <StatusBadge status={detail.status} testId="status-value" />
          <PriorityBadge priority={detail.priority} />
          <VulnerableBadge group={detail.vulnerableGroup} testId="vulnerable-badge" />
        </div>
      </div>

      <div className="complaint-grid">
        <div className="complaint-main">
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">{t('complaint.details')}</h2>
            <p className="description" data-testid="complaint-description">
              {detail.description}
            </p>
            <dl className="facts facts-grid">
              <div>
                <dt>{t('field.orderRef')}</dt>
                <dd data-testid="complaint-order-ref">{detail.orderRef || '—'}</dd>
              </div>
              <div>
                <dt>{t('field.channel')}</dt>
                <dd data-testid="complaint-channel">{label('channel', detail.channel)}</dd>
              </div>
              <div>
                <dt>{t('field.category')}</dt>
                <dd data-testid="complaint-category">{categoryName(detail.category?.id, detail.category?.name)}</dd>
              </div>
              <div>
                <dt>{t('field.priority')}</dt>
                <dd>{label('priority', detail.priority)}</dd>
              </div>
              <div>
                <dt>{t('field.assignee')}</dt>
                <dd data-testid="complaint-assignee">{detail.assignee?.name ?? t('queue.unassigned')}</dd>
              </div>
              {detail.team ? (
                <div>
                  <dt>{t('field.team')}</dt>
                  <dd>{detail.team.name}</dd>
                </div>
              ) : null}
              <div>
                <dt>{t('res.reopenCount')}</dt>
                <dd data-testid="complaint-reopen-count" data-count={detail.reopenCount ?? 0}>
                  {t('res.reopenTimes', { n: detail.reopenCount ?? 0 })}
                </dd>
              </div>
              {detail.previousComplaintCode ? (
                <div>
                  <dt>{t('res.previousComplaint')}</dt>
                  <dd>
                    <Link to={`/staff/complaints/${encodeURIComponent(detail.previousComplaintCode)}`} data-testid="complaint-previous-link">
                      {detail.previousComplaintCode}
                    </Link>
                  </dd>
                </div>
              ) : null}
            </dl>
            {!readOnly ? (
              <ComplaintCorrection
                detail={detail}
                onSaved={(next) => {
                  setDetail(next);
                  syncForms(next);
                  setFlash(null);
                }}
              />
            ) : null}
          </section>

          <section className="card" aria-labelledby="attachments-title" data-testid="attachments-panel">
            <h2 id="attachments-title">{t('attachments.title')}</h2>
            <AttachmentList attachments={detail.attachments ?? []} />
            <h3 className="small-heading">{t('receipt.print')}</h3>
            <ReceiptButtons code={detail.code} />
            {!readOnly ? (
              <details className="add-files" data-testid="add-files">
                <summary>{t('attachments.add')}</summary>
                <AttachmentUploader<ComplaintDetail>
                  id="more-files"
                  path={`${path}/attachments`}
                  onUploaded={(next) => applied(next, 'attachments', t('attachments.added'))}
                  testId="staff-upload"
                />
              </details>
            ) : null}
            {feedbackFor('attachments')}
          </section>

          <section className="card" aria-labelledby="deadlines-title" data-testid="deadlines-panel">
            <h2 id="deadlines-title">{t('complaint.deadlines')}</h2>
            <dl className="facts facts-grid">
              <div>
                <dt>{t('date.receivedAt')}</dt>
                <dd>
                  <DateTime iso={detail.receivedAt} testId="received-at" />
                </dd>
              </div>
              {detail.acknowledgedAt ? (
                <div>
                  <dt>{t('date.acknowledgedAt')}</dt>
                  <dd>
                    <DateTime iso={detail.acknowledgedAt} testId="acknowledged-at" />
                  </dd>
                </div>
              ) : null}
            </dl>
            <ClockList clocks={detail.clocks ?? []} mode={detail.workingTimeMode} />

            {!readOnly && open ? (
              <form className="due-date-form" onSubmit={submitDueDate} noValidate data-testid="due-date-form">
                <h3 className="small-heading">{t('dueDate.section')}</h3>
                {manual ? (
                  <p className="muted" data-testid="due-date-current">
                    {t('dueDate.current', { at: formatDateTime(manual.dueAt) })}
                  </p>
                ) : null}
                <div className="due-date-row">
                  <DateTimeField
                    id="due-date"
                    label={t('dueDate.label')}
                    hint={t('dueDate.hint')}
                    min={toVietnamLocalInput(new Date().toISOString())}
                    value={dueInput}
                    onValue={(v) => {
                      setDueInput(v);
                      setDueError(undefined);
                    }}
                    error={dueError}
                    data-testid="due-date-input"
                  />
                  <div className="actions-row">
                    <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="due-date-submit">
                      {busy === 'dueDate' ? t('common.saving') : t('dueDate.set')}
                    </button>
                    {manual ? (
                      <button
                        type="button"
                        className="btn btn-secondary"
                        onClick={() => void saveDueDate(null)}
                        disabled={busy !== null}
                        data-testid="due-date-clear"
                      >
                        {t('dueDate.clear')}
                      </button>
                    ) : null}
                  </div>
                </div>
                {feedbackFor('dueDate')}
              </form>
            ) : null}
          </section>

          <InvestigationSection
            code={detail.code}
            readOnly={readOnly}
            open={open}
            refreshKey={detail.timeline.length}
            onChanged={() => void load()}
          />

          <ResolutionSection
            detail={detail}
            readOnly={readOnly}
            onChanged={(next) => {
              if (!next) return void load();
              setDetail(next);
              syncForms(next);
              setFlash(null);
            }}
          />

          <section className="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t('complaint.timeline')}</h2>
            {feedbackFor('confirmContact')}
            <ol className="timeline" data-testid="complaint-timeline">
              {sortTimeline(detail.timeline).map((event) => (
                <li
                  key={event.id}
                  id={event.seq ? `event-${event.seq}` : undefined}
                  tabIndex={event.seq ? -1 : undefined}
                  className={`timeline-item timeline-${event.type.replace('.', '-')}`}
                  data-testid="timeline-event"
                  data-type={event.type}
                >
                  <span className="timeline-dot" aria-hidden="true" />
                  <div className="timeline-body">
                    <p className="timeline-title">{label('event', event.type)}</p>
                    <EventPayload
                      event={event}
                      code={detail.code}
                      users={users}
                      categoryName={categoryName}
                      onConfirmContact={
                        readOnly
                          ? undefined
                          : {
                              run: (field) => void confirmContact(field),
                              busy: busy !== null,
                              has: { phone: detail.customer.phone, email: detail.customer.email },
                            }
                      }
                    />
                    <p className="timeline-meta">
                      <DateTime iso={event.at} /> · <ActorName event={event} />
                      {event.channel && event.channel !== 'system' ? ` · ${t('timeline.via', { channel: label('channel', event.channel) })}` : ''}
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          </section>
        </div>

        <aside className="complaint-side">
          <section className="card" aria-labelledby="customer-title">
            <h2 id="customer-title">{t('complaint.customer')}</h2>
            <dl className="facts">
              <div>
                <dt>{t('field.name')}</dt>
                <dd data-testid="customer-name">{detail.customer.name}</dd>
              </div>
              <div>
                <dt>{t('field.phone')}</dt>
                <dd data-testid="customer-phone">
                  {detail.customer.phone ? <a href={`tel:${detail.customer.phone}`}>{detail.customer.phone}</a> : '—'}
                </dd>
              </div>
              <div>
                <dt>{t('field.email')}</dt>
                <dd data-testid="customer-email" className="break">
                  {detail.customer.email ? <a href={`mailto:${detail.customer.email}`}>{detail.customer.email}</a> : '—'}
                </dd>
              </div>
              <div>
                <dt>{t('field.province')}</dt>
                <dd data-testid="customer-province">{detail.customer.province ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('language.short')}</dt>
                <dd data-testid="customer-language" data-language={detail.language}>
                  {languageName(detail.language)}
                </dd>
              </div>
              {detail.consent !== undefined ? (
                <div>
                  <dt>{t('field.consent')}</dt>
                  <dd data-testid="customer-consent" data-given={detail.consent ? 'true' : 'false'}>
                    {detail.consent ? t('consent.givenAt', { at: formatDateTime(detail.consent.at) }) : t('consent.none')}
                  </dd>
                </div>
              ) : null}
            </dl>
            {!readOnly && detail.customer.id ? <CustomerCorrection customer={detail.customer} onSaved={() => void load()} /> : null}
            {detail.customer.id ? (
              <p>
                <Link to={`/staff/khach-hang/${encodeURIComponent(detail.customer.id)}`} data-testid="customer-record-link">
                  {t('complaint.customerRecord')}
                </Link>
              </p>
            ) : null}
            <PromisedCallBacks list={detail.callBacks} />
            <OtherComplaints list={detail.customerComplaints} customerId={detail.customer.id} />
          </section>

          {readOnly ? (
            <Notice kind="info">{t('complaint.readOnly')}</Notice>
          ) : (
            <>
              <section className="card" aria-labelledby="status-title">
                <h2 id="status-title">{t('complaint.statusSection')}</h2>
                {transitions.length === 0 ? (
                  <p className="muted">{t('complaint.noTransitions')}</p>
                ) : (
                  <>
                    <TextArea
                      id="transition-reason"
                      maxLength={2000}
                      label={t('complaint.reason')}
                      optional={reasonNeededFor.length === 0}
                      hint={
                        reasonNeededFor.length
                          ? `${t('complaint.reasonNeededFor', { list: reasonNeededFor.map((s) => label('transition', s)).join(', ') })} ${t('complaint.reasonHint')}`
                          : t('complaint.reasonHint')
                      }
                      rows={2}
                      value={reason}
                      onChange={(e) => setReason(e.target.value)}
                      error={reasonError}
                      data-testid="transition-reason"
                    />
                    {transitions.includes('merged') ? (
                      <TextField
                        id="transition-merge-into"
                        label={t('complaint.mergeInto')}
                        hint={t('complaint.mergeIntoHint')}
                        optional
                        maxLength={40}
                        autoComplete="off"
                        spellCheck={false}
                        value={mergeInto}
                        onChange={(e) => setMergeInto(e.target.value)}
                        error={mergeIntoError}
                        data-testid="transition-merge-into"
                      />
                    ) : null}
                    <div className="transition-buttons">
                      {transitions.map((to) => (
                        <button
                          key={to}
                          type="button"
                          className={`btn ${['rejected', 'withdrawn', 'merged'].includes(to) ? 'btn-danger' : 'btn-primary'}`}
                          onClick={() => void transition(to)}
                          disabled={busy !== null}
                          data-testid={`transition-${to}`}
                        >
                          {detail.status === 'proposed' && to === 'investigating' ? t('complaint.reinvestigate') : label('transition', to)}
                        </button>
                      ))}
                    </div>
                  </>
                )}
                {dedicatedInvestigation.length ? (
                  <p className="field-hint" data-testid="transition-dedicated-investigation-hint">
                    {t('res.dedicatedHintInvestigation', { list: dedicatedInvestigation.map((s) => label('transition', s)).join(', ') })}
                  </p>
                ) : null}
                {dedicatedResolution.length ? (
                  <p className="field-hint" data-testid="transition-dedicated-hint">
                    {t('res.dedicatedHint', { list: dedicatedResolution.map((s) => label('transition', s)).join(', ') })}
                  </p>
                ) : null}
                {feedbackFor('transition')}
              </section>

              {detail.status !== 'merged' ? (
                <section className="card" aria-labelledby="reply-title" data-testid="reply-section">
                  <h2 id="reply-title">{t('reply.section')}</h2>
                  {detail.customer.email ? (
                    <>
                      <p className="field-hint">{t('reply.intro', { email: detail.customer.email })}</p>
                      <form onSubmit={(e) => void sendReply(e)} noValidate data-testid="reply-form">
                        {role && can(role, 'complaint.contact') && can(role, 'reply_template.read') ? (
                          <ReplyTemplatePicker detail={detail} onInsert={insertIntoReply} />
                        ) : null}
                        <TextArea
                          id="reply-body"
                          maxLength={10000}
                          label={t('reply.body')}
                          hint={t('reply.bodyHint', { language: languageName(detail.language) })}
                          lang={detail.language}
                          required
                          rows={5}
                          value={replyText}
                          onChange={(e) => {
                            setReplyText(e.target.value);
                            if (replyError) setReplyError(undefined);
                          }}
                          error={replyError}
                          data-testid="reply-input"
                        />
                        <ReplyFilePicker
                          attachments={detail.attachments ?? []}
                          picked={replyFiles}
                          onChange={(next) => {
                            setReplyFiles(next);
                            setReplyFilesError(undefined);
                          }}
                          error={replyFilesError}
                        />
                        <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="reply-submit">
                          {busy === 'reply' ? t('reply.sending') : t('reply.submit')}
                        </button>
                      </form>
                    </>
                  ) : (
                    <p className="field-hint" data-testid="reply-no-email">
                      {t('reply.noEmail')}
                    </p>
                  )}
                  {feedbackFor('reply')}
                </section>
              ) : null}

              {detail.status !== 'merged' && smsAvailable && detail.customer.phone ? (
                <section className="card" aria-labelledby="sms-title" data-testid="sms-section">
                  <h2 id="sms-title">{t('sms.section')}</h2>
                  <SmsForm
                    detail={detail}
                    afterEvent={lastSeenEvent(detail)}
                    busy={busy !== null}
                    onSent={(next) => applied(next, 'sms', t('sms.sent'))}
                    onFailed={(err) => failed('sms', err)}
                  />
                  {feedbackFor('sms')}
                </section>
              ) : null}

              {detail.status === 'resolved' &&
              !detail.timeline.some((e) => e.type === 'survey.answered' && e.payload?.resolutionNo === (detail.reopenCount ?? 0) + 1) ? (
                <section className="card" aria-labelledby="phone-survey-title" data-testid="phone-survey-section">
                  <h2 id="phone-survey-title">{t('phoneSurvey.section')}</h2>
                  <p className="field-hint">{t('phoneSurvey.intro')}</p>
                  <SurveyForm
                    idPrefix="phone"
                    title={t('phoneSurvey.title')}
                    question={t('phoneSurvey.question')}
                    commentLabel={t('phoneSurvey.comment')}
                    submitLabel={t('phoneSurvey.submit')}
                    send={(answer) => api.post<SurveyAnswerResult>(`${path}/survey-answer`, answer)}
                    onAnswered={() => void load()}
                    onAlreadyAnswered={() => void load()}
                  />
                </section>
              ) : null}

              {open ? (
                <section className="card" aria-labelledby="contact-title" data-testid="contact-section">
                  <h2 id="contact-title">{t('contact.section')}</h2>
                  <p className="field-hint">{t('contact.intro')}</p>
                  <form onSubmit={(e) => void logContact(e)} noValidate data-testid="contact-form">
                    <SelectField
                      id="contact-method"
                      label={t('contact.method')}
                      value={contactMethod}
                      onChange={(e) => setContactMethod(e.target.value as ContactMethod)}
                      error={contactErrors.method}
                      data-testid="contact-method"
                    >
                      {CONTACT_METHODS.map((m) => (
                        <option key={m} value={m}>
                          {label('contactMethod', m)}
                        </option>
                      ))}
                    </SelectField>
                    <TextArea
                      id="contact-summary"
                      maxLength={20000}
                      label={t('contact.summary')}
                      hint={t('contact.summaryHint')}
                      required
                      rows={3}
                      value={contactSummary}
                      onChange={(e) => {
                        setContactSummary(e.target.value);
                        if (contactErrors.summary) setContactErrors({ ...contactErrors, summary: undefined });
                      }}
                      error={contactErrors.summary}
                      data-testid="contact-summary"
                    />
                    <CallBackField
                      id="contact-callback"
                      value={contactCallBack}
                      onValue={(v) => {
                        setContactCallBack(v);
                        if (contactErrors.callBackAt) setContactErrors({ ...contactErrors, callBackAt: undefined });
                      }}
                      error={contactErrors.callBackAt}
                    />
                    <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="contact-submit">
                      {busy === 'contact' ? t('common.saving') : t('contact.submit')}
                    </button>
                  </form>
                  {feedbackFor('contact')}
                </section>
              ) : null}

              <section className="card" aria-labelledby="assign-title">
                <h2 id="assign-title">{t('complaint.assignSection')}</h2>
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    void assign(assigneeId || null);
                  }}
                >
                  <SelectField
                    id="assignee"
                    label={t('complaint.assignTo')}
                    hint={agentOnly ? t('complaint.assignAgentHint') : undefined}
                    value={assigneeId}
                    onChange={(e) => setAssigneeId(e.target.value)}
                    data-testid="assign-select"
                  >
                    <option value="">{t('queue.unassigned')}</option>
                    {assignable.map((u) => (
                      <option key={u.id} value={u.id} disabled={!!role && !!session && !canAssignTo(role, session.user.id, u.id)}>
                        {u.name} — {label('role', u.role)}
                      </option>
                    ))}
                  </SelectField>
                  <div className="actions-row">
                    <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="assign-submit">
                      {t('complaint.assignSubmit')}
                    </button>
                    {session && detail.assignee?.id !== session.user.id ? (
                      <button
                        type="button"
                        className="btn btn-secondary"
                        onClick={() => void assign(session.user.id)}
                        disabled={busy !== null}
                        data-testid="assign-me"
                      >
                        {t('complaint.assignMe')}
                      </button>
                    ) : null}
                  </div>
                </form>
                {feedbackFor('assign')}
              </section>

              <section className="card" aria-labelledby="classify-title">
                <h2 id="classify-title">{t('complaint.classifySection')}</h2>
                <form onSubmit={(e) => void classify(e)}>
                  <SelectField
                    id="category"
                    label={t('field.category')}
                    value={categoryId}
                    onChange={(e) => setCategoryId(e.target.value)}
                    data-testid="category-select"
                  >
                    <option value="">{t('field.categoryNone')}</option>
                    {categories
                      .filter((c) => c.active || c.id === detail.category?.id)
                      .map((c) => (
                        <option key={c.id} value={c.id}>
                          {categoryName(c.id, c.name)}
                        </option>
                      ))}
                  </SelectField>
                  <SelectField
                    id="priority"
                    label={t('field.priority')}
                    value={priority}
                    onChange={(e) => setPriority(e.target.value as Priority)}
                    data-testid="priority-select"
                  >
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {label('priority', p)}
                      </option>
                    ))}
                  </SelectField>
                  <ProvinceSelect
                    id="customer-province"
                    value={province}
                    onChange={(e) => setProvince(e.target.value)}
                    data-testid="province-select"
                  />
                  <VulnerableGroupSelect
                    id="vulnerable-group"
                    audience="staff"
                    label={t('vulnerable.classifyLabel')}
                    optional={false}
                    value={vulnerableGroup}
                    onChange={setVulnerableGroup}
                    testId="vulnerable-select"
                  />
                  <LanguageSelect id="complaint-language" value={language} onChange={setLanguage} testId="language-select" />
                  <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="classify-submit">
                    {t('complaint.classifySubmit')}
                  </button>
                </form>
                {feedbackFor('classify')}
              </section>

              <section className="card" aria-labelledby="note-title">
                <h2 id="note-title">{t('complaint.noteSection')}</h2>
                <form onSubmit={(e) => void addNote(e)} noValidate>
                  <TextArea
                    id="note-body"
                    maxLength={20000}
                    label={t('complaint.noteLabel')}
                    hint={t('complaint.noteHint')}
                    rows={4}
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    error={noteError}
                    data-testid="note-input"
                  />
                  <MentionPicker
                    id="note-mention"
                    users={mentionable(users, session?.user.id)}
                    value={mentions}
                    onChange={(next) => {
                      setMentions(next);
                      setMentionError(undefined);
                    }}
                    error={mentionError}
                  />
                  <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="note-submit">
                    {busy === 'note' ? t('common.saving') : t('complaint.noteSubmit')}
                  </button>
                </form>
                {feedbackFor('note')}
              </section>

              <RemindersCard code={detail.code} />
            </>
          )}
        </aside>
      </div>
    </div>
  );
}

/** Oldest first: by time, then by position in the hash chain (entries without one, such as mail, after). */
function sortTimeline(events: TimelineEvent[]): TimelineEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => {
      const byTime = new Date(a.event.at).getTime() - new Date(b.event.at).getTime();
      if (byTime) return byTime;
      const sa = a.event.seq ?? Number.POSITIVE_INFINITY;
      const sb = b.event.seq ?? Number.POSITIVE_INFINITY;
      return sa === sb ? a.index - b.index : sa < sb ? -1 : 1;
    })
    .map(({ event }) => event);
}

/** Moves made through the verification section's forms (an information request, its answer or cancelling). */
const INVESTIGATION_TRANSITIONS: readonly Status[] = ['awaiting_customer', 'investigating'];

/** Why the verification step moved a complaint (status.changed `cause`). */
const INVESTIGATION_CAUSES = ['information_request', 'information_provided', 'information_request_cancelled', 'information_request_expired'];

/** dueDate → due-date, for test ids. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

/** The number of the last timeline event shown (mail in the timeline has none); 0 before any. */
function lastSeenEvent(detail: ComplaintDetail | null): number {
  return Math.max(0, ...(detail?.timeline ?? []).map((e) => e.seq ?? 0));
}

/** Khiếu nại khác của khách hàng: the customer's other complaints, open ones first, each a link. */
function OtherComplaints({ list, customerId }: { list: ComplaintDetail['customerComplaints']; customerId: string | null }) {
  const { t } = useI18n();
  if (!list?.total) return null;
  return (
    <div className="other-complaints" data-testid="other-complaints">
      <h3 className="small-heading">{t('complaint.otherComplaints', { count: list.total })}</h3>
      <ul>
        {list.items.map((o) => (
          <li key={o.code} data-testid="other-complaint" data-code={o.code}>
            <Link to={`/staff/complaints/${encodeURIComponent(o.code)}`}>{o.code}</Link> <StatusBadge status={o.status} />
            <span className="other-complaint-subject">{o.subject}</span>
            <span className="muted">
              {t('complaint.otherReceived')} <DateTime iso={o.receivedAt} />
            </span>
          </li>
        ))}
      </ul>
      {list.total > list.items.length && customerId ? (
        <Link to={`/staff/khach-hang/${encodeURIComponent(customerId)}`} data-testid="other-complaints-all">
          {t('complaint.otherAll', { count: list.total })}
        </Link>
      ) : null}
    </div>
  );
}

/** r and n: the reply to the customer and the internal note, where this page shows them. */
function WritingShortcuts() {
  useShortcuts({ r: () => void focusById('reply-body'), n: () => void focusById('note-body') });
  return null;
}

/**
 * Back to the queue, and — when the complaint is in the queue this tab last showed — the ones before and after it
 * there (also ] and [), so that an agent works down the queue without going back to it each time.
 */
function BackLink({ code }: { code?: string }) {
  const { t } = useI18n();
  const around = code ? queueNeighbours(code) : null;
  const go = (to: string | null | undefined) => {
    if (to) navigate(`/staff/complaints/${encodeURIComponent(to)}`);
  };
  useShortcuts({ u: () => navigate(lastQueueUrl()), ']': () => go(around?.next), '[': () => go(around?.previous) });
  return (
    <nav className="back back-row" aria-label={t('complaint.back')}>
      <Link to={lastQueueUrl()} data-testid="back-to-queue">{t('complaint.back')}</Link>
      {around ? (
        <span className="queue-neighbours" data-testid="queue-neighbours">
          {around.previous ? (
            <Link to={`/staff/complaints/${encodeURIComponent(around.previous)}`} rel="prev" data-testid="queue-previous">
              ← {t('queue.previous')}
            </Link>
          ) : null}
          <span className="muted" data-testid="queue-position">
            {t('queue.position', { n: around.n, total: around.total })}
          </span>
          {around.next ? (
            <Link to={`/staff/complaints/${encodeURIComponent(around.next)}`} rel="next" data-testid="queue-next">
              {t('queue.next')} →
            </Link>
          ) : null}
        </span>
      ) : null}
    </nav>
  );
}

function ActorName({ event }: { event: TimelineEvent }) {
  const { t } = useI18n();
  const actor = event.actor;
  if (actor?.name) return <span className="actor">{actor.name}</span>;
  if (actor?.type === 'customer') return <span className="actor">{t('actor.customer')}</span>;
  return <span className="actor">{t('actor.system')}</span>;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The hotline call a contact was: who called, and when. */
function CallFacts({ call }: { call: Record<string, unknown> }) {
  const { t } = useI18n();
  const caller = str(call.caller);
  const start = str(call.startedAt);
  const end = str(call.endedAt);
  return (
    <p className="timeline-reason" data-testid="timeline-call">
      {caller ? t('timeline.callFrom', { caller: displayPhone(caller) }) : t('timeline.call')}
      {start ? ` · ${formatDateTime(start)}${end ? ` – ${formatDateTime(end).slice(11)}` : ''}` : ''}
      {start && end ? ` (${formatDuration((new Date(end).getTime() - new Date(start).getTime()) / 1000)})` : ''}
    </p>
  );
}

/** An agent's message to the customer on the timeline (a reply by email, a text): to whom, the words, what else, the clocks it moved. */
function SentToCustomer({ to, body, clocks, testId, children }: { to: string; body: string | null | undefined; clocks: unknown; testId: string; children?: ReactNode }) {
  return (
    <>
      <p className="timeline-change timeline-mail-out" data-testid={`${testId}-to`}>
        {to}
      </p>
      <blockquote className="message-body" data-testid={testId}>
        {body ?? ''}
      </blockquote>
      {children}
      <ClockOps value={clocks} />
    </>
  );
}

/** Where a mail or text to the customer stands: queued, sent (when), failed (why), and how many tries. */
function DeliveryState({ p, testId }: { p: Record<string, unknown>; testId: string }) {
  const { t, label } = useI18n();
  const status = str(p.status);
  return (
    <>
      {status ? (
        <p className="timeline-reason">
          <span className={`badge mail-status mail-status-${status}`} data-testid={testId} data-status={status}>
            {label('mailStatus', status)}
          </span>
          {typeof p.attempts === 'number' && p.attempts > 1 ? ` · ${t('timeline.mailAttempts', { n: p.attempts })}` : ''}
          {status === 'sent' && str(p.sentAt) ? ` · ${formatDateTime(str(p.sentAt))}` : ''}
        </p>
      ) : null}
      {str(p.lastError) && status !== 'sent' ? <p className="timeline-reason">{t('timeline.mailError', { error: str(p.lastError) ?? '' })}</p> : null}
    </>
  );
}

/** Files an event added, each a download link (the complaint's own attachment address). */
function EventFiles({ code, value }: { code: string; value: unknown }) {
  const { t, lang } = useI18n();
  if (!Array.isArray(value) || value.length === 0) return null;
  const files = value.flatMap((raw) => (raw && typeof raw === 'object' ? [raw as Record<string, unknown>] : []));
  return (
    <ul className="timeline-list timeline-files" data-testid="timeline-files">
      {files.map((f, i) => {
        const name = str(f.filename) ?? '?';
        const sha = str(f.sha256);
        const size = typeof f.size === 'number' ? f.size : null;
        const type = str(f.contentType);
        return (
          <li key={sha ?? i} data-testid="timeline-file" data-name={name}>
            {sha && /^[0-9a-f]{64}$/.test(sha) ? (
              <a href={`/api/v1/complaints/${encodeURIComponent(code)}/attachments/${sha}`} download={name}>
                {name}
              </a>
            ) : (
              name
            )}
            {type || size !== null ? (
              <span className="muted">
                {' '}
                ({[type ? fileKind(type, t) : null, size !== null ? formatBytes(size, lang) : null].filter(Boolean).join(', ')})
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The clock changes an event made ("Giải quyết: tạm dừng"); older events carry only the kinds. */
function ClockOps({ value }: { value: unknown }) {
  const { t, label } = useI18n();
  const clockName = useClockName();
  if (!Array.isArray(value) || value.length === 0) return null;
  const ops = value.flatMap((raw): Partial<ClockOp>[] => {
    if (typeof raw === 'string') return [{ kind: raw as ClockOp['kind'] }];
    if (raw && typeof raw === 'object') return [raw as Partial<ClockOp>];
    return [];
  });
  return (
    <ul className="timeline-list timeline-clocks" data-testid="timeline-clocks">
      {ops.map((o, i) => {
        const op = o.op ? label('clockOp', o.op) : '';
        const text =
          o.op === 'start' || o.op === 'resume'
            ? t('timeline.clockOpDue', { clock: clockName(o.kind), op, due: formatDateTime(o.dueAt) })
            : op
              ? t('timeline.clockOp', { clock: clockName(o.kind), op })
              : clockName(o.kind);
        return (
          <li key={i} data-clock={o.kind} data-op={o.op}>
            {text}
          </li>
        );
      })}
    </ul>
  );
}

/** What changed, in words: from → to, the note text, the new assignee; other payloads as key: value. */
function EventPayload({
  event,
  code,
  users,
  categoryName,
  onConfirmContact,
}: {
  event: TimelineEvent;
  code: string;
  users: UserListItem[];
  categoryName: (id: string | undefined, fallback: string | undefined) => string;
  /** Staff who may: add a contact given with the complaint to the customer's record. */
  onConfirmContact?: { run: (field: 'phone' | 'email') => void; busy: boolean; has: { phone: string | null; email: string | null } };
}) {
  const { t, label } = useI18n();
  const clockName = useClockName();
  const groupLabel = useVulnerableLabel();
  const languageName = useLanguageName();
  const p = event.payload ?? {};

  switch (event.type) {
    case 'status.changed': {
      const cause = str(p.cause);
      return (
        <>
          <p className="timeline-change" data-testid="timeline-status-change">
            {label('status', str(p.from))} → {label('status', str(p.to))}
          </p>
          {str(p.mergedInto) ? (
            <p className="timeline-change" data-testid="timeline-merged-into">
              {t('timeline.mergedInto')}{' '}
              <Link to={`/staff/complaints/${encodeURIComponent(str(p.mergedInto) ?? '')}`}>{str(p.mergedInto)}</Link>
            </p>
          ) : null}
          {str(p.reason) ? <p className="timeline-reason">{t('timeline.reason', { reason: str(p.reason) ?? '' })}</p> : null}
          {cause && INVESTIGATION_CAUSES.includes(cause) ? (
            <p className="timeline-reason" data-testid="timeline-status-cause" data-cause={cause}>
              {t(`timeline.cause.${cause}` as MessageKey)}
            </p>
          ) : null}
          {cause === 'contact' || cause === 'customer_message' ? (
            <p className="timeline-reason">{t(`timeline.cause.${cause}` as MessageKey)}</p>
          ) : null}
          <StatusChangeExtras payload={p} />
          <ClockOps value={p.clocks} />
        </>
      );
    }
    case 'contact.logged':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-contact-method" data-method={str(p.method)}>
            {label('contactMethod', str(p.method))}
          </p>
          {p.call && typeof p.call === 'object' ? <CallFacts call={p.call as Record<string, unknown>} /> : null}
          {typeof p.callBackAt === 'string' ? <CallBackLine at={p.callBackAt} /> : null}
          {str(p.summary) ? (
            <p className="note-body contact-body" data-testid="timeline-contact-summary">
              {str(p.summary)}
            </p>
          ) : null}
          <ClockOps value={p.clocks} />
        </>
      );
    case 'reply.sent':
      return (
        <SentToCustomer to={t('timeline.replyTo', { to: str(p.to) ?? '—' })} body={str(p.body)} clocks={p.clocks} testId="timeline-reply">
          {Array.isArray(p.attachments) && p.attachments.length ? (
            <>
              <p className="timeline-change">{t('replyFiles.timeline')}</p>
              <EventFiles code={code} value={p.attachments} />
            </>
          ) : null}
        </SentToCustomer>
      );
    case 'message.received':
      return (
        <>
          {str(p.from) || str(p.subject) ? (
            <p className="timeline-change timeline-mail-in" data-testid="timeline-mail-in">
              {str(p.from) ? t('timeline.mailFrom', { from: str(p.from) ?? '' }) : null}
              {str(p.from) && str(p.subject) ? ' · ' : null}
              {str(p.subject) ? <span className="mail-subject">{str(p.subject)}</span> : null}
            </p>
          ) : null}
          <blockquote className="message-body" data-testid="timeline-message">
            {str(p.body) ?? ''}
          </blockquote>
          <EventFiles code={code} value={p.attachments} />
          <ClockOps value={p.clocks} />
        </>
      );
    case 'attachments.added':
      return <EventFiles code={code} value={p.attachments} />;
    case 'personal_data.anonymised': {
      const count = Array.isArray(p.redacted) ? p.redacted.length : 0;
      const note = str(p.note);
      return (
        <p className="timeline-change" data-testid="timeline-anonymised">
          {p.reason === 'retention' ? t('timeline.anonymised.retention', { count }) : t('timeline.anonymised.request', { count, note: note ? ` (${note})` : '' })}
        </p>
      );
    }
    case 'email.converted':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-converted">
            {t('timeline.convertedFrom')}{' '}
            <Link to="/staff/inbound-rejects">{t('nav.inboundRejects')}</Link>
          </p>
          <EventFiles code={code} value={p.attachments} />
        </>
      );
    case 'call.ended': {
      const seconds = typeof p.durationSeconds === 'number' ? p.durationSeconds : null;
      const recording = str(p.recordingUrl);
      return (
        <p className="timeline-change" data-testid="timeline-call-ended">
          <span data-testid="timeline-call-duration" data-seconds={seconds ?? ''}>
            {seconds !== null ? t('timeline.callDuration', { duration: formatDuration(seconds) }) : t('timeline.callNoDuration')}
          </span>
          {recording && /^https?:\/\//i.test(recording) ? (
            <>
              {' · '}
              <a href={recording} target="_blank" rel="noopener noreferrer" data-testid="timeline-recording">
                {t('timeline.recording')}
                <span className="visually-hidden"> {t('common.newTab')}</span>
              </a>
            </>
          ) : null}
        </p>
      );
    }
    case 'due_date.set':
      return (
        <p className="timeline-change" data-testid="timeline-due-date">
          {str(p.dueAt) ? t('timeline.dueSet', { at: formatDateTime(str(p.dueAt)) }) : t('timeline.dueCleared')}
        </p>
      );
    case 'sla.reminder':
    case 'sla.breached': {
      const params = { clock: clockName(str(p.clock)), percent: typeof p.percent === 'number' ? p.percent : '?', due: formatDateTime(str(p.dueAt)) };
      return (
        <p className="timeline-change" data-testid="timeline-sla" data-clock={str(p.clock)}>
          {event.type === 'sla.breached' ? t('timeline.breached', params) : t('timeline.reminder', params)}
        </p>
      );
    }
    case 'sla.recomputed': {
      const reason = str(p.reason);
      const changes = Array.isArray(p.changes) ? (p.changes as unknown[]) : [];
      return (
        <>
          {reason === 'calendar' || reason === 'sla_policy' ? (
            <p className="timeline-reason">{t(`timeline.recomputed.${reason}` as MessageKey)}</p>
          ) : null}
          <ul className="timeline-list" data-testid="timeline-recomputed">
            {changes.map((raw, i) => {
              const c = (raw ?? {}) as Record<string, unknown>;
              return (
                <li key={i}>
                  {t('timeline.recomputedChange', {
                    clock: clockName(str(c.clock)),
                    from: formatDateTime(str(c.from)),
                    to: formatDateTime(str(c.to)),
                  })}
                </li>
              );
            })}
          </ul>
        </>
      );
    }
    case 'note.added': {
      const named = Array.isArray(p.mentions) ? p.mentions.map((id) => users.find((u) => u.id === id)?.name ?? t('mentions.unknown')) : [];
      return (
        <>
          <p className="note-body" data-testid="timeline-note">
            {str(p.body) ?? ''}
          </p>
          {named.length ? (
            <p className="timeline-meta" data-testid="timeline-note-mentions">
              {t('mentions.timeline', { names: named.join(', ') })}
            </p>
          ) : null}
        </>
      );
    }
    case 'assignment.changed': {
      const id = str(p.assigneeId);
      const name = str(p.assigneeName) ?? users.find((u) => u.id === id)?.name ?? id;
      return (
        <>
          <p className="timeline-change">
            {name ? t('timeline.assignedTo', { name }) : str(p.teamName) ? t('routing.toTeam', { team: str(p.teamName) ?? '' }) : t('timeline.unassigned')}
          </p>
          {p.reason === 'rule' ? (
            <p className="timeline-reason" data-testid="timeline-routing-rule">
              {t('routing.timeline', { name: str(p.ruleName) ?? '' })}
            </p>
          ) : null}
          {p.reason === 'sla_breach' ? <p className="timeline-reason">{t('timeline.slaReassigned')}</p> : null}
          {p.reason === 'staff_left' ? <p className="timeline-reason">{t('timeline.staffLeft')}</p> : null}
        </>
      );
    }
    case 'priority.changed':
      return (
        <>
          <p className="timeline-change">
            {label('priority', str(p.from))} → {label('priority', str(p.to) ?? str(p.priority))}
          </p>
          {p.reason === 'vulnerable' ? <p className="timeline-reason">{t('timeline.priorityRaisedVulnerable')}</p> : null}
          {p.reason === 'rule' ? <p className="timeline-reason">{t('routing.timeline', { name: str(p.ruleName) ?? '' })}</p> : null}
        </>
      );
    case 'vulnerability.changed':
      return (
        <p className="timeline-change" data-testid="timeline-vulnerability-change">
          {groupLabel(p.from)} → {groupLabel(p.to)}
        </p>
      );
    case 'language.changed':
      return (
        <p className="timeline-change" data-testid="timeline-language-change" data-from={str(p.from)} data-to={str(p.to)}>
          {languageName(p.from)} → {languageName(p.to)}
        </p>
      );
    case 'customer.corrected':
    case 'complaint.corrected':
      return <CorrectionPayload payload={p} />;
    case 'customer.merged':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-customer-merged">
            {t(p.moved === true ? 'merge.timelineMoved' : 'merge.timelineKept', { name: str(p.fromName) ?? '—' })}
          </p>
          {str(p.reason) ? <p className="timeline-reason">{str(p.reason)}</p> : null}
        </>
      );
    case 'product.changed':
    case 'customer_province.changed':
      return (
        <p className="timeline-change">
          {str(p.from) ?? '—'} → {str(p.to) ?? '—'}
        </p>
      );
    case 'category.changed':
      return (
        <p className="timeline-change">
          {categoryName(str(p.from), str(p.fromName))} → {categoryName(str(p.to) ?? str(p.categoryId), str(p.toName))}
        </p>
      );
    case 'email.outbound': {
      return (
        <>
          <p className="timeline-change" data-testid="timeline-mail">
            {t('timeline.mailTo', { to: str(p.to) ?? '—' })}
            {str(p.subject) ? <> · {str(p.subject)}</> : null}
          </p>
          <DeliveryState p={p} testId="timeline-mail-status" />
        </>
      );
    }
    case 'sms.sent':
      return <SentToCustomer to={t('timeline.mailTo', { to: str(p.to) ?? '—' })} body={str(p.text)} clocks={p.clocks} testId="timeline-sms-sent" />;
    case 'sms.outbound': {
      return (
        <>
          <p className="timeline-change" data-testid="timeline-sms">
            {t('timeline.mailTo', { to: str(p.to) ?? '—' })}
          </p>
          <blockquote className="message-body" data-testid="timeline-sms-text">
            {str(p.text) ?? ''}
          </blockquote>
          <DeliveryState p={p} testId="timeline-sms-status" />
        </>
      );
    }
    case 'info_request.created':
    case 'info_request.answered':
    case 'info_request.expired':
    case 'info_request.cancelled':
    case 'info_request.reminded':
    case 'evidence.verified':
    case 'evidence.disputed':
    case 'consultation.requested':
    case 'consultation.answered':
    case 'consultation.overdue':
    case 'consultation.cancelled':
    case 'consultation.resent':
      return (
        <>
          <InvestigationEventPayload event={event} code={code} />
          <EventFiles code={code} value={p.attachments} />
          <ClockOps value={p.clocks} />
        </>
      );
    case 'complaint.created': {
      // Contacts given with the complaint that were not added to the customer's record (typed in by
      // anyone on the portal or in a mail): for staff to check with the customer before using them.
      const u = p.unconfirmedContacts as { phone?: string; email?: string; name?: string } | undefined;
      const group = p.vulnerableGroup ? (
        <p className="timeline-change" data-testid="timeline-vulnerable-intake">
          {t('timeline.vulnerableAtIntake', { group: groupLabel(p.vulnerableGroup) })}
        </p>
      ) : null;
      if (!u) return group;
      const given = [u.name, u.phone ? displayPhone(u.phone) : undefined, u.email].filter(Boolean).join(' · ');
      const confirmable = (['phone', 'email'] as const).filter(
        (f) => u[f] && onConfirmContact && onConfirmContact.has[f] !== (f === 'phone' ? displayPhone(u.phone!) : u.email),
      );
      return (
        <>
          {group}
          <p className="timeline-change warning" data-testid="timeline-unconfirmed-contacts">
            {t('timeline.unconfirmedContacts', { given })}
          </p>
          {confirmable.length ? (
            <div className="actions-row">
              {confirmable.map((f) => (
                <button
                  key={f}
                  type="button"
                  className="btn btn-secondary btn-small"
                  disabled={onConfirmContact!.busy}
                  onClick={() => onConfirmContact!.run(f)}
                  data-testid={`confirm-contact-${f}`}
                >
                  {t(f === 'phone' ? 'timeline.confirmPhone' : 'timeline.confirmEmail', { value: f === 'phone' ? displayPhone(u.phone!) : u.email! })}
                </button>
              ))}
            </div>
          ) : null}
        </>
      );
    }
    default: {
      if (RESOLUTION_EVENT_TYPES.includes(event.type)) {
        return (
          <>
            <ResolutionEventPayload event={event} />
            <ClockOps value={p.clocks} />
          </>
        );
      }
      const entries = Object.entries(p).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v));
      if (!entries.length) return null;
      return (
        <dl className="payload">
          {entries.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </div>
          ))}
        </dl>
      );
    }
  }
}
