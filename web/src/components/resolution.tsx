import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, isAbort } from '../api';
import { describeError } from '../errors';
import { formatDateTime, fromVietnamLocalInput, newIdempotencyKey, toVietnamLocalInput } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import {
  AMOUNT_REQUIRED_KINDS,
  DECISION_CHANNELS,
  PROPOSAL_KINDS,
  type ComplaintDetail,
  type DecisionChannel,
  type Escalation,
  type ListOf,
  type Proposal,
  type ProposalInput,
  type ProposalKind,
  type ReopenResult,
  type ResolutionView,
  type Status,
  type TimelineEvent,
} from '../types';
import { DateTime } from './badges';
import { DateField, DateTimeField, Notice, SectionPending, SelectField, TextArea, TextField } from './forms';
import { AUTHORITY_KINDS } from '../followup-types';
import { formatVndWhileTyping, groupThousands, normalizeVndInput, parseVndAmount, VND_AMOUNT_PROBLEM_MESSAGES } from '../vnd-amount';

// Bước 4 — giải quyết: the proposals made to the customer (with a supervisor's approval above the
// threshold), the customer's answer given to staff, the implementation that resolves the complaint,
// refusal as not admissible, escalation to a competent authority with its dossier; and from step 5
// the root cause and reopening. Rendered on the complaint page.

/** Statuses from which a new proposal can be made (the complaint then moves to `proposed`). */
const PROPOSABLE: readonly Status[] = ['investigating', 'awaiting_customer'];
/** Statuses from which a supervisor may refuse a complaint as not admissible. */
const REJECTABLE: readonly Status[] = ['received', 'acknowledged', 'investigating'];
/** Statuses from which a supervisor may escalate to an authority. */
const ESCALATABLE: readonly Status[] = ['investigating', 'awaiting_customer', 'proposed'];
/** Statuses a supervisor may reopen. */
const REOPENABLE: readonly Status[] = ['resolved', 'closed'];

interface RootCauseOption {
  id: string;
  name: string;
  nameEn: string | null;
  active: boolean;
}

interface AuthorityOption {
  id: string;
  kind: string;
  name: string;
  province: string | null;
  active: boolean;
}

/** 1500000 → "1.500.000 ₫". */
export function formatVnd(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : `${groupThousands(n)} ₫`;
}

/** Today in Vietnam as YYYY-MM-DD (the max of a date input). */
function vietnamToday(): string {
  return toVietnamLocalInput(new Date().toISOString()).slice(0, 10);
}

/** A YYYY-MM-DD picked in a date input, as the start of that day in Vietnam. */
function fromVietnamDate(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? fromVietnamLocalInput(`${value}T00:00`) : null;
}

/** dd/MM/yyyy of an instant, in Vietnam. */
function formatDate(iso: string | null | undefined): string {
  return formatDateTime(iso).slice(0, 10);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The name of a proposal kind in the interface language. */
export function proposalKindLabel(kind: string | null | undefined, label: I18n['label']): string {
  return label('proposalKind', kind);
}

/** "Hoàn tiền · 500.000 ₫". */
function kindAndAmount(kind: string | undefined, amount: unknown, label: I18n['label']): string {
  const k = proposalKindLabel(kind, label);
  return typeof amount === 'number' ? `${k} · ${formatVnd(amount)}` : k;
}

type Area =
  | 'propose'
  | 'approval'
  | 'decision'
  | 'implement'
  | 'root-cause'
  | 'reject'
  | 'escalate'
  | 'handover'
  | 'outcome'
  | 'close'
  | 'reopen';

interface Feedback {
  area: Area;
  kind: 'success' | 'error';
  content: ReactNode;
}

/**
 * Giải quyết — step 4 of one complaint. `detail` is the complaint as the page has it (its status,
 * root cause, resolution and closing dates); the section reloads its own list of proposals and
 * escalations whenever the complaint's timeline grows. `onChanged` hands the page a fresh complaint,
 * or asks it to reload one.
 */
export function ResolutionSection({
  detail,
  readOnly,
  onChanged,
}: {
  detail: ComplaintDetail;
  readOnly: boolean;
  onChanged: (next?: ComplaintDetail) => void;
}) {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const role = session?.user.role;
  const lead = role === 'supervisor' || role === 'admin';
  const [view, setView] = useState<ResolutionView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [rootCauses, setRootCauses] = useState<RootCauseOption[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const base = `/api/v1/complaints/${encodeURIComponent(detail.code)}`;
  const refreshKey = `${detail.status}:${detail.timeline.length}`;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setView(await api.get<ResolutionView>(`${base}/resolution`, { signal }));
        setLoadError(null);
      } catch (err) {
        if (!isAbort(err)) setLoadError(describeError(err, t));
      }
    },
    [base, t],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
    // The language does not change the data: reload only when the complaint did.
  }, [base, refreshKey]);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListOf<RootCauseOption>>('/api/v1/root-causes', { query: { active: 'true' }, signal: controller.signal })
      .then((r) => setRootCauses(r.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  const rootCauseName = (rc: { name: string; nameEn?: string | null } | null | undefined) =>
    !rc ? '—' : lang === 'en' && rc.nameEn ? rc.nameEn : rc.name;

  /** Runs one action; a failure is shown in its area (a 409 or 404 reloads: someone else may have acted). */
  async function run(area: Area, name: string, action: () => Promise<ReactNode>): Promise<boolean> {
    if (busy) return false;
    setBusy(name);
    setFeedback(null);
    try {
      const content = await action();
      setFeedback({ area, kind: 'success', content });
      return true;
    } catch (err) {
      setFeedback({ area, kind: 'error', content: describeError(err, t) });
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
        await load();
        onChanged();
      }
      throw err;
    } finally {
      setBusy(null);
    }
  }

  /** run() for forms that show field errors themselves: resolves false on failure instead of throwing. */
  const attempt = (area: Area, name: string, action: () => Promise<ReactNode>) =>
    run(area, name, action).catch((err: unknown) => {
      if (err instanceof ApiError) return err;
      return new ApiError(0, 'unknown', '');
    });

  const feedbackFor = (area: Area) =>
    feedback?.area === area ? (
      <Notice kind={feedback.kind} testId={`${area}-${feedback.kind === 'error' ? 'error' : 'message'}`}>
        {feedback.content}
      </Notice>
    ) : null;

  if (!view) {
    return (
      <SectionPending
        id="resolution"
        className="resolution"
        title={t('res.title')}
        error={loadError}
        onRetry={() => void load()}
        retryLabel={t('common.retry')}
        loadingLabel={t('common.loading')}
      />
    );
  }

  const status = detail.status;
  const rootCause = detail.rootCause ?? (view.rootCause ? { ...view.rootCause, nameEn: null } : null);
  const openProposal = view.proposals.find((p) => p.status === 'pending_approval' || p.status === 'offered');
  const canAct = !readOnly;
  const canPropose = canAct && PROPOSABLE.includes(status) && !openProposal;

  const approve = (p: Proposal, decision: 'approve' | 'reject', note: string) =>
    attempt('approval', `approval-${p.id}`, async () => {
      await api.post<Proposal>(`${base}/proposals/${p.id}/approval`, { decision, ...(note ? { note } : {}) });
      await load();
      onChanged();
      return decision === 'approve' ? t('res.approved') : t('res.returned');
    });

  const decide = (p: Proposal, body: { decision: 'accept' | 'reject'; channel: DecisionChannel; at: string; note?: string }) =>
    attempt('decision', `decision-${p.id}`, async () => {
      await api.post<Proposal>(`${base}/proposals/${p.id}/decision`, body);
      await load();
      onChanged();
      return body.decision === 'accept' ? t('res.decisionAccepted') : t('res.decisionRejected');
    });

  const implement = (p: Proposal, body: Record<string, string>) =>
    attempt('implement', `implement-${p.id}`, async () => {
      await api.post<Proposal>(`${base}/proposals/${p.id}/implementation`, body);
      await load();
      onChanged();
      return t('res.implemented');
    });

  const setRootCause = (id: string) =>
    attempt('root-cause', 'root-cause', async () => {
      const next = await api.patch<ComplaintDetail>(`${base}/root-cause`, { rootCauseId: id });
      onChanged(next);
      return t('res.rootCauseSaved', { name: rootCauseName(next.rootCause) });
    });

  const reject = (reason: string) =>
    attempt('reject', 'reject', async () => {
      const next = await api.post<ComplaintDetail>(`${base}/reject`, { reason });
      onChanged(next);
      return t('res.rejectedDone');
    });

  const escalate = (body: { authorityId?: string; authorityName?: string; reason: string }) =>
    attempt('escalate', 'escalate', async () => {
      const e = await api.post<Escalation>(`${base}/escalations`, body);
      await load();
      onChanged();
      return t('res.escalated', { name: e.authority.name });
    });

  const patchEscalation = (area: 'handover' | 'outcome', e: Escalation, body: Record<string, string>) =>
    attempt(area, `${area}-${e.id}`, async () => {
      await api.patch<Escalation>(`${base}/escalations/${e.id}`, body);
      await load();
      onChanged();
      return area === 'handover' ? t('res.handoverSaved') : t('res.outcomeSaved');
    });

  const close = () =>
    attempt('close', 'close', async () => {
      const next = await api.post<ComplaintDetail>(`${base}/transitions`, { to: 'closed' });
      onChanged(next);
      return t('res.closedDone');
    });

  const reopen = (reason: string) =>
    attempt('reopen', 'reopen', async () => {
      const r = await api.post<ReopenResult<ComplaintDetail>>(`${base}/reopen`, { reason });
      if (r.outcome === 'reopened') {
        onChanged(r.complaint);
        return t('res.reopenedDone', { n: r.reopenCount });
      }
      onChanged();
      return (
        <>
          {t('res.reopenedNew', { code: r.code })}{' '}
          <Link to={`/staff/complaints/${encodeURIComponent(r.code)}`} data-testid="reopen-new-link">
            {t('res.openNew', { code: r.code })}
          </Link>
        </>
      );
    });

  return (
    <section className="card resolution" aria-labelledby="resolution-title" data-testid="resolution-section" data-loaded="true">
      <h2 id="resolution-title">{t('res.title')}</h2>
      <p className="field-hint">{t('res.intro', { threshold: view.approvalThresholdText })}</p>

      {/* —— Nguyên nhân gốc, ngày giải quyết / đóng —— */}
      <div className="inv-part" data-testid="followup-facts">
        <dl className="facts facts-grid">
          <div>
            <dt>{t('res.rootCause')}</dt>
            <dd data-testid="complaint-root-cause" data-id={rootCause?.id ?? ''}>
              {rootCause ? rootCauseName(rootCause) : <span className="muted">{t('res.noRootCause')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('res.resolvedAt')}</dt>
            <dd>
              <DateTime iso={detail.resolvedAt} testId="complaint-resolved-at" />
            </dd>
          </div>
          <div>
            <dt>{t('res.closedAt')}</dt>
            <dd>
              <DateTime iso={detail.closedAt} testId="complaint-closed-at" />
            </dd>
          </div>
        </dl>
        {canAct ? (
          <RootCauseForm
            current={rootCause?.id ?? ''}
            options={rootCauses}
            name={rootCauseName}
            disabled={busy !== null}
            onSave={setRootCause}
          />
        ) : null}
        {feedbackFor('root-cause')}
        {lead ? (
          <p>
            <Link
              to={`/staff/corrective-actions?${new URLSearchParams({ new: '1', complaint: detail.code, ...(rootCause ? { rootCauseId: rootCause.id } : {}) }).toString()}`}
              data-testid="open-corrective-action"
            >
              {t('actions.openFromComplaint')}
            </Link>
          </p>
        ) : null}
      </div>

      {/* —— Phương án giải quyết —— */}
      <div className="inv-part" data-testid="proposals">
        <h3 className="small-heading">{t('res.proposals')}</h3>
        {view.proposals.length === 0 ? (
          <p className="muted" data-testid="proposals-empty">
            {t('res.noProposals')}
          </p>
        ) : (
          <ul className="inv-list">
            {[...view.proposals].reverse().map((p) => (
              <ProposalItem key={p.id} proposal={p}>
                {!canAct ? null : p.status === 'pending_approval' ? (
                  lead ? (
                    <ApprovalForm proposal={p} disabled={busy !== null} onDecide={(d, note) => approve(p, d, note)} />
                  ) : (
                    <p className="muted" data-testid="proposal-awaiting-approval">
                      {t('res.awaitingApproval')}
                    </p>
                  )
                ) : p.status === 'offered' ? (
                  <DecisionForm proposal={p} disabled={busy !== null} onDecide={(body) => decide(p, body)} />
                ) : p.status === 'accepted' ? (
                  <ImplementationForm
                    proposal={p}
                    needsRootCause={!rootCause}
                    rootCauses={rootCauses}
                    rootCauseName={rootCauseName}
                    disabled={busy !== null}
                    onSubmit={(body) => implement(p, body)}
                  />
                ) : null}
              </ProposalItem>
            ))}
          </ul>
        )}
        {feedbackFor('approval')}
        {feedbackFor('decision')}
        {feedbackFor('implement')}
        {feedbackFor('propose')}
        {!canAct ? null : canPropose ? (
          <ProposeForm
            base={base}
            thresholdVnd={view.approvalThresholdVnd}
            thresholdText={view.approvalThresholdText}
            selfApproves={lead}
            disabled={busy !== null}
            onBusy={(b) => setBusy(b ? 'propose' : null)}
            onDone={(p) => {
              setFeedback({
                area: 'propose',
                kind: 'success',
                content: p.status === 'pending_approval' ? t('res.proposedPending', { threshold: view.approvalThresholdText }) : t('res.proposedOffered'),
              });
              void load();
              onChanged();
            }}
            onFailed={(content, stale) => {
              setFeedback(content ? { area: 'propose', kind: 'error', content } : null);
              if (stale) {
                void load();
                onChanged();
              }
            }}
          />
        ) : openProposal ? (
          <p className="muted" data-testid="proposal-open-note">
            {t('res.openProposalNote')}
          </p>
        ) : (OPEN_FOR_PROPOSAL_LATER as readonly Status[]).includes(status) ? (
          <p className="muted" data-testid="proposal-not-yet">
            {t('res.proposeNotYet')}
          </p>
        ) : null}
      </div>

      {/* —— Chuyển cơ quan có thẩm quyền —— */}
      {view.escalations.length || (canAct && lead && ESCALATABLE.includes(status)) ? (
        <div className="inv-part" data-testid="escalations">
          <h3 className="small-heading">{t('res.escalations')}</h3>
          {view.escalations.length ? (
            <ul className="inv-list">
              {[...view.escalations].reverse().map((e) => (
                <EscalationItem
                  key={e.id}
                  escalation={e}
                  canEdit={canAct && lead}
                  canClose={canAct && status === 'escalated' && detail.allowedTransitions.includes('closed')}
                  disabled={busy !== null}
                  onPatch={(area, body) => patchEscalation(area, e, body)}
                  onClose={close}
                  feedbackFor={feedbackFor}
                />
              ))}
            </ul>
          ) : null}
          {feedbackFor('escalate')}
          {canAct && lead && ESCALATABLE.includes(status) ? <EscalationForm disabled={busy !== null} customerProvince={detail.customer.province ?? null} onSubmit={escalate} /> : null}
        </div>
      ) : null}

      {/* —— Không thụ lý —— */}
      {canAct && ((lead && REJECTABLE.includes(status)) || feedback?.area === 'reject') ? (
        <div className="inv-part" data-testid="reject-part">
          <h3 className="small-heading">{t('res.rejectTitle')}</h3>
          {lead && REJECTABLE.includes(status) ? (
            <>
              <p className="field-hint">{t('res.rejectIntro')}</p>
              <ReasonForm
                id="reject-reason"
                openLabel={t('res.rejectOpen')}
                label={t('res.rejectReason')}
                hint={t('res.rejectReasonHint')}
                requiredMessage={t('res.rejectReasonRequired')}
                submitLabel={t('res.rejectSubmit')}
                danger
                disabled={busy !== null}
                testId="reject"
                onSubmit={reject}
              />
            </>
          ) : null}
          {feedbackFor('reject')}
        </div>
      ) : null}

      {/* —— Mở lại —— */}
      {canAct && ((lead && REOPENABLE.includes(status)) || feedback?.area === 'reopen') ? (
        <div className="inv-part" data-testid="reopen-part">
          <h3 className="small-heading">{t('res.reopenTitle')}</h3>
          {lead && REOPENABLE.includes(status) ? (
            <>
              <p className="field-hint">{t('res.reopenIntro')}</p>
              <ReasonForm
                id="reopen-reason"
                openLabel={t('res.reopenOpen')}
                label={t('res.reopenReason')}
                hint={t('res.reopenReasonHint')}
                requiredMessage={t('res.reopenReasonRequired')}
                submitLabel={t('res.reopenSubmit')}
                disabled={busy !== null}
                testId="reopen"
                onSubmit={reopen}
              />
            </>
          ) : null}
          {feedbackFor('reopen')}
        </div>
      ) : null}
      {feedbackFor('close')}
    </section>
  );
}

/** Statuses where a proposal will be possible once the complaint is being investigated. */
const OPEN_FOR_PROPOSAL_LATER = ['received', 'acknowledged', 'reopened'] as const;

/** Nguyên nhân gốc: pick from the taxonomy and save (it is also asked when resolving without one). */
function RootCauseForm({
  current,
  options,
  name,
  disabled,
  onSave,
}: {
  current: string;
  options: RootCauseOption[];
  name: (rc: RootCauseOption) => string;
  disabled: boolean;
  onSave: (id: string) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => setValue(current), [current]);
  return (
    <form
      className="inline-form res-root-cause-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!value) {
          setError(t('res.rootCauseRequired'));
          return;
        }
        setError(undefined);
        void onSave(value).then((r) => {
          if (r instanceof ApiError) setError(r.fields.find((f) => f.field === 'rootCauseId')?.message);
        });
      }}
      data-testid="root-cause-form"
    >
      <SelectField
        id="root-cause-select"
        label={current ? t('res.rootCauseChange') : t('res.rootCauseSet')}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setError(undefined);
        }}
        error={error}
        data-testid="root-cause-select"
      >
        <option value="">{t('res.rootCauseChoose')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {name(o)}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="btn btn-secondary btn-small" disabled={disabled || value === current} data-testid="root-cause-submit">
        {t('res.rootCauseSave')}
      </button>
    </form>
  );
}

/** One proposal: what was offered, where it stands with the supervisor and the customer, and the action due now. */
function ProposalItem({ proposal: p, children }: { proposal: Proposal; children: ReactNode }) {
  const { t, label } = useI18n();
  return (
    <li
      className={`inv-item res-proposal res-proposal-${p.status}`}
      data-testid="proposal"
      data-id={p.id}
      data-status={p.status}
      data-kind={p.kind}
      data-approval={p.approval.state}
    >
      <div className="inv-item-head">
        <strong data-testid="proposal-kind">{proposalKindLabel(p.kind, label)}</strong>
        {p.amountVnd !== null ? (
          <span className="res-amount" data-testid="proposal-amount" data-vnd={p.amountVnd}>
            {p.amountText ?? formatVnd(p.amountVnd)}
          </span>
        ) : null}
        <span className={`badge res-badge res-badge-${p.status}`} data-testid="proposal-status" data-status={p.status}>
          {label('proposalStatus', p.status)}
        </span>
        {p.approval.state !== 'not_required' && p.approval.state !== 'pending' ? (
          <span className={`badge res-badge res-approval-${p.approval.state}`} data-testid="proposal-approval" data-state={p.approval.state}>
            {label('approvalState', p.approval.state)}
          </span>
        ) : null}
      </div>
      <p className="res-description" data-testid="proposal-description">
        {p.description}
      </p>
      <p className="timeline-meta">
        {p.createdBy ? t('res.proposedBy', { name: p.createdBy.name, at: formatDateTime(p.createdAt) }) : t('res.proposedAt', { at: formatDateTime(p.createdAt) })}
        {p.offeredAt ? ` · ${t('res.offeredAt', { at: formatDateTime(p.offeredAt) })}` : ''}
      </p>
      {p.approval.state === 'approved' || p.approval.state === 'rejected' ? (
        <p className="timeline-reason" data-testid="proposal-approval-detail">
          {t(p.approval.state === 'approved' ? 'res.approvedBy' : 'res.returnedBy', {
            name: p.approval.by?.name ?? '—',
            at: formatDateTime(p.approval.at),
          })}
          {p.approval.note ? ` — ${p.approval.note}` : ''}
        </p>
      ) : null}
      {p.decision ? (
        <div className="inv-answer" data-testid="proposal-decision" data-decision={p.decision.decision} data-channel={p.decision.channel ?? ''}>
          <p className="small-heading">
            {t(p.decision.decision === 'accept' ? 'res.customerAccepted' : 'res.customerRejected', {
              channel: label('decisionChannel', p.decision.channel),
              at: formatDateTime(p.decision.at),
            })}
          </p>
          {p.decision.note ? (
            <blockquote className="message-body" data-testid="proposal-decision-note">
              {p.decision.note}
            </blockquote>
          ) : null}
        </div>
      ) : null}
      {p.implementation ? (
        <div className="inv-answer" data-testid="proposal-implementation">
          <p className="small-heading">{t('res.implementedAt', { at: formatDateTime(p.implementation.doneAt) })}</p>
          <ul className="timeline-list">
            {p.implementation.refundReference ? <li data-testid="proposal-refund-ref">{t('res.refundRef', { ref: p.implementation.refundReference })}</li> : null}
            {p.implementation.shipmentReference ? (
              <li data-testid="proposal-shipment-ref">{t('res.shipmentRef', { ref: p.implementation.shipmentReference })}</li>
            ) : null}
          </ul>
          {p.implementation.note ? <p className="note-body">{p.implementation.note}</p> : null}
        </div>
      ) : null}
      {children}
    </li>
  );
}

/** Đề xuất phương án: kind, what is offered, the amount in whole VND. One Idempotency-Key per proposal. */
function ProposeForm({
  base,
  thresholdVnd,
  thresholdText,
  selfApproves,
  disabled,
  onBusy,
  onDone,
  onFailed,
}: {
  base: string;
  thresholdVnd: number;
  thresholdText: string;
  selfApproves: boolean;
  disabled: boolean;
  onBusy: (busy: boolean) => void;
  onDone: (p: Proposal) => void;
  onFailed: (content: ReactNode | null, stale?: boolean) => void;
}) {
  const { t, label } = useI18n();
  const [kind, setKind] = useState<ProposalKind | ''>('');
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  // One key per proposal: a double click or a retry after a lost answer stores it once.
  const [key, setKey] = useState(newIdempotencyKey);
  const parsedAmount = parseVndAmount(amount);
  const amountVnd = parsedAmount.state === 'ok' ? parsedAmount.value : null;
  const needsAmount = kind !== '' && AMOUNT_REQUIRED_KINDS.includes(kind);
  const aboveThreshold = amountVnd !== null && amountVnd > thresholdVnd;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending || disabled) return;
    const next: Record<string, string> = {};
    if (!kind) next['proposal-kind'] = t('res.kindRequired');
    if (!description.trim()) next['proposal-description'] = t('res.descriptionRequired');
    // A refused amount ("1.850.000,50", "-5") is named as such, never sent as another number.
    if (parsedAmount.state === 'invalid') next['proposal-amount'] = t(VND_AMOUNT_PROBLEM_MESSAGES[parsedAmount.problem]);
    else if (needsAmount && amountVnd === null) next['proposal-amount'] = t('res.amountRequired');
    else if (amountVnd !== null && amountVnd <= 0) next['proposal-amount'] = t('res.amountPositive');
    setErrors(next);
    if (Object.keys(next).length) {
      document.getElementById(Object.keys(next)[0])?.focus();
      return;
    }
    const body: ProposalInput = { kind: kind as ProposalKind, description: description.trim(), ...(amountVnd !== null ? { amountVnd } : {}) };
    setSending(true);
    onBusy(true);
    onFailed(null);
    try {
      const p = await api.post<Proposal>(`${base}/proposals`, body, { headers: { 'Idempotency-Key': key } });
      setKind('');
      setDescription('');
      setAmount('');
      setKey(newIdempotencyKey());
      onDone(p);
    } catch (err) {
      const byField: Record<string, string> = {};
      if (err instanceof ApiError) {
        for (const f of err.fields) {
          const id = f.field === 'kind' ? 'proposal-kind' : f.field === 'description' ? 'proposal-description' : f.field === 'amountVnd' ? 'proposal-amount' : null;
          if (id && !byField[id]) byField[id] = f.message || err.message;
        }
      }
      setErrors(byField);
      onFailed(describeError(err, t), err instanceof ApiError && err.status === 409);
    } finally {
      setSending(false);
      onBusy(false);
    }
  }

  return (
    <form className="inv-form" onSubmit={(e) => void submit(e)} noValidate data-testid="proposal-form" data-key={key}>
      <h4>{t('res.newProposal')}</h4>
      <div className="grid-2">
        <SelectField
          id="proposal-kind"
          label={t('res.kind')}
          required
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as ProposalKind | '');
            setErrors(({ ['proposal-kind']: _, ['proposal-amount']: __, ...rest }) => rest);
          }}
          error={errors['proposal-kind']}
          data-testid="proposal-kind-select"
        >
          <option value="">{t('res.kindChoose')}</option>
          {PROPOSAL_KINDS.map((k) => (
            <option key={k} value={k}>
              {proposalKindLabel(k, label)}
            </option>
          ))}
        </SelectField>
        <TextField
          id="proposal-amount"
          label={t('res.amount')}
          hint={t('res.amountHint', { threshold: thresholdText })}
          required={needsAmount}
          optional={!needsAmount}
          inputMode="numeric"
          autoComplete="off"
          className="input-amount"
          maxLength={30}
          value={amount}
          onChange={(e) => {
            setAmount(formatVndWhileTyping(e.target.value));
            setErrors(({ ['proposal-amount']: _, ...rest }) => rest);
          }}
          onBlur={() => setAmount(normalizeVndInput)}
          error={errors['proposal-amount']}
          data-testid="proposal-amount-input"
        />
      </div>
      {amountVnd !== null && amountVnd > 0 ? (
        <p className="res-amount-preview" data-testid="proposal-amount-preview" aria-live="polite">
          {formatVnd(amountVnd)}
          {aboveThreshold ? (
            <span className="res-approval-note" data-testid="proposal-needs-approval">
              {' '}
              · {selfApproves ? t('res.aboveThresholdSelf', { threshold: thresholdText }) : t('res.aboveThreshold', { threshold: thresholdText })}
            </span>
          ) : null}
        </p>
      ) : null}
      <TextArea
        id="proposal-description"
        label={t('res.description')}
        hint={t('res.descriptionHint')}
        required
        rows={3}
        maxLength={5000}
        value={description}
        onChange={(e) => {
          setDescription(e.target.value);
          setErrors(({ ['proposal-description']: _, ...rest }) => rest);
        }}
        error={errors['proposal-description']}
        data-testid="proposal-description-input"
      />
      <button type="submit" className="btn btn-primary" disabled={sending || disabled} data-testid="proposal-submit">
        {sending ? t('common.saving') : aboveThreshold && !selfApproves ? t('res.submitForApproval') : t('res.submitProposal')}
      </button>
    </form>
  );
}

/** A supervisor approves a proposal above the threshold (it goes to the customer) or returns it with a note. */
function ApprovalForm({
  proposal: p,
  disabled,
  onDecide,
}: {
  proposal: Proposal;
  disabled: boolean;
  onDecide: (decision: 'approve' | 'reject', note: string) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const id = `approval-note-${p.id}`;
  return (
    <form className="inv-form res-approval-form" noValidate onSubmit={(e) => e.preventDefault()} data-testid="approval-form">
      <p className="small-heading">{t('res.approvalTitle')}</p>
      <TextArea
        id={id}
        label={t('res.approvalNote')}
        hint={t('res.approvalNoteHint')}
        rows={2}
        maxLength={2000}
        value={note}
        onChange={(e) => {
          setNote(e.target.value);
          setError(undefined);
        }}
        error={error}
        data-testid="approval-note"
      />
      <div className="actions-row">
        <button type="button" className="btn btn-primary" disabled={disabled} onClick={() => void onDecide('approve', note.trim())} data-testid="approval-approve">
          {t('res.approve')}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={disabled}
          onClick={() => {
            if (!note.trim()) {
              setError(t('res.returnNoteRequired'));
              document.getElementById(id)?.focus();
              return;
            }
            void onDecide('reject', note.trim());
          }}
          data-testid="approval-return"
        >
          {t('res.returnProposal')}
        </button>
      </div>
    </form>
  );
}

/** The customer's answer given by phone, at the office or by email: accept or reject, how and when. */
function DecisionForm({
  proposal: p,
  disabled,
  onDecide,
}: {
  proposal: Proposal;
  disabled: boolean;
  onDecide: (body: { decision: 'accept' | 'reject'; channel: DecisionChannel; at: string; note?: string }) => Promise<unknown>;
}) {
  const { t, label } = useI18n();
  const [open, setOpen] = useState(false);
  const [decision, setDecision] = useState<'accept' | 'reject' | ''>('');
  const [channel, setChannel] = useState<DecisionChannel>('hotline');
  const [at, setAt] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  if (!open) {
    return (
      <div className="actions-row">
        <p className="muted" data-testid="proposal-awaiting-customer">
          {t('res.awaitingCustomer')}
        </p>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={disabled}
          onClick={() => {
            setAt(toVietnamLocalInput(new Date().toISOString()));
            setOpen(true);
          }}
          data-testid="decision-open"
        >
          {t('res.recordDecision')}
        </button>
      </div>
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!decision) next['decision-accept'] = t('res.decisionRequired');
    const iso = fromVietnamLocalInput(at);
    if (!iso) next['decision-at'] = t('res.timeRequired');
    else if (new Date(iso).getTime() > Date.now() + 60_000) next['decision-at'] = t('res.timeFuture');
    setErrors(next);
    if (Object.keys(next).length) {
      document.getElementById(Object.keys(next)[0])?.focus();
      return;
    }
    void onDecide({ decision: decision as 'accept' | 'reject', channel, at: iso!, ...(note.trim() ? { note: note.trim() } : {}) }).then((r) => {
      if (r instanceof ApiError) {
        const f = r.fields.find((x) => x.field === 'at');
        if (f) setErrors({ 'decision-at': f.message || r.message });
      }
    });
  }

  return (
    <form className="inv-form" noValidate onSubmit={submit} data-testid="decision-form">
      <p className="small-heading">{t('res.recordDecision')}</p>
      <fieldset
        className={errors['decision-accept'] ? 'checklist res-inline-options field-invalid' : 'checklist res-inline-options'}
        aria-describedby={errors['decision-accept'] ? 'decision-accept-error' : undefined}
      >
        <legend>{t('res.decision')}</legend>
        {(['accept', 'reject'] as const).map((d) => (
          <div className="check-option" key={d}>
            <input
              type="radio"
              name={`decision-${p.id}`}
              id={`decision-${d}`}
              value={d}
              checked={decision === d}
              onChange={() => {
                setDecision(d);
                setErrors(({ ['decision-accept']: _, ...rest }) => rest);
              }}
              data-testid={`decision-${d}`}
            />
            <label htmlFor={`decision-${d}`}>{t(d === 'accept' ? 'res.decisionAccept' : 'res.decisionReject')}</label>
          </div>
        ))}
        {errors['decision-accept'] ? (
          <p className="field-error" id="decision-accept-error" data-testid="error-decision">
            {errors['decision-accept']}
          </p>
        ) : null}
      </fieldset>
      <div className="grid-2">
        <SelectField
          id="decision-channel"
          label={t('res.decisionChannel')}
          value={channel}
          onChange={(e) => setChannel(e.target.value as DecisionChannel)}
          data-testid="decision-channel"
        >
          {DECISION_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {label('decisionChannel', c)}
            </option>
          ))}
        </SelectField>
        <DateTimeField
          id="decision-at"
          label={t('res.decisionAt')}
          hint={t('res.decisionAtHint')}
          required
          max={toVietnamLocalInput(new Date().toISOString())}
          value={at}
          onValue={setAt}
          error={errors['decision-at']}
          data-testid="decision-at"
        />
      </div>
      <TextArea id="decision-note" label={t('res.decisionNote')} optional rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="decision-note" />
      <div className="actions-row">
        <button type="submit" className="btn btn-primary" disabled={disabled} data-testid="decision-submit">
          {t('res.decisionSubmit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
          {t('common.back')}
        </button>
      </div>
    </form>
  );
}

/** Thực hiện phương án: when it was done, the refund or shipment reference; resolves the complaint. */
function ImplementationForm({
  proposal: p,
  needsRootCause,
  rootCauses,
  rootCauseName,
  disabled,
  onSubmit,
}: {
  proposal: Proposal;
  needsRootCause: boolean;
  rootCauses: RootCauseOption[];
  rootCauseName: (rc: RootCauseOption) => string;
  disabled: boolean;
  onSubmit: (body: Record<string, string>) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [doneAt, setDoneAt] = useState(() => toVietnamLocalInput(new Date().toISOString()));
  const [refundRef, setRefundRef] = useState('');
  const [shipmentRef, setShipmentRef] = useState('');
  const [note, setNote] = useState('');
  const [rootCauseId, setRootCauseId] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const money = p.kind === 'refund' || p.kind === 'voucher';
  const goods = p.kind === 'exchange' || p.kind === 'repair';
  // What proves it was done (the server asks for the same): the bank's reference of a refund, the carrier's of an exchange.
  const refundRequired = p.kind === 'refund';
  const shipmentRequired = p.kind === 'exchange';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: Record<string, string> = {};
    const iso = fromVietnamLocalInput(doneAt);
    if (!iso) next['implement-done-at'] = t('res.timeRequired');
    else if (new Date(iso).getTime() > Date.now() + 60_000) next['implement-done-at'] = t('res.timeFuture');
    else if (p.decision && new Date(iso).getTime() < new Date(p.decision.at).getTime() - 60_000) next['implement-done-at'] = t('res.doneBeforeDecision');
    if (refundRequired && !refundRef.trim()) next['implement-refund-ref'] = t('res.refundReferenceRequired');
    if (shipmentRequired && !shipmentRef.trim()) next['implement-shipment-ref'] = t('res.shipmentReferenceRequired');
    if (needsRootCause && !rootCauseId) next['implement-root-cause'] = t('res.rootCauseRequired');
    setErrors(next);
    if (Object.keys(next).length) {
      document.getElementById(Object.keys(next)[0])?.focus();
      return;
    }
    const body: Record<string, string> = { doneAt: iso! };
    if (refundRef.trim()) body.refundReference = refundRef.trim();
    if (shipmentRef.trim()) body.shipmentReference = shipmentRef.trim();
    if (note.trim()) body.note = note.trim();
    if (needsRootCause) body.rootCauseId = rootCauseId;
    void onSubmit(body).then((r) => {
      if (!(r instanceof ApiError)) return;
      const ids: Record<string, string> = {
        doneAt: 'implement-done-at',
        rootCauseId: 'implement-root-cause',
        refundReference: 'implement-refund-ref',
        shipmentReference: 'implement-shipment-ref',
        note: 'implement-note',
      };
      const byField: Record<string, string> = {};
      for (const f of r.fields) if (ids[f.field] && !byField[ids[f.field]]) byField[ids[f.field]] = f.message || r.message;
      setErrors(byField);
    });
  }

  return (
    <form className="inv-form" noValidate onSubmit={submit} data-testid="implementation-form">
      <p className="small-heading">{t('res.implementTitle')}</p>
      <p className="field-hint">{t('res.implementIntro')}</p>
      <DateTimeField
        id="implement-done-at"
        label={t('res.doneAt')}
        required
        max={toVietnamLocalInput(new Date().toISOString())}
        value={doneAt}
        onValue={setDoneAt}
        error={errors['implement-done-at']}
        data-testid="implement-done-at"
      />
      <div className="grid-2">
        <TextField
          id="implement-refund-ref"
          label={t('res.refundReference')}
          hint={money ? t('res.refundReferenceHint') : undefined}
          optional={!refundRequired}
          required={refundRequired}
          maxLength={200}
          value={refundRef}
          onChange={(e) => setRefundRef(e.target.value)}
          error={errors['implement-refund-ref']}
          data-testid="implement-refund-ref"
        />
        <TextField
          id="implement-shipment-ref"
          label={t('res.shipmentReference')}
          hint={goods ? t('res.shipmentReferenceHint') : undefined}
          optional={!shipmentRequired}
          required={shipmentRequired}
          maxLength={200}
          value={shipmentRef}
          onChange={(e) => setShipmentRef(e.target.value)}
          error={errors['implement-shipment-ref']}
          data-testid="implement-shipment-ref"
        />
      </div>
      {needsRootCause ? (
        <SelectField
          id="implement-root-cause"
          label={t('res.rootCause')}
          hint={t('res.rootCauseNeeded')}
          required
          value={rootCauseId}
          onChange={(e) => {
            setRootCauseId(e.target.value);
            setErrors(({ ['implement-root-cause']: _, ...rest }) => rest);
          }}
          error={errors['implement-root-cause']}
          data-testid="implement-root-cause"
        >
          <option value="">{t('res.rootCauseChoose')}</option>
          {rootCauses.map((o) => (
            <option key={o.id} value={o.id}>
              {rootCauseName(o)}
            </option>
          ))}
        </SelectField>
      ) : null}
      <TextArea
        id="implement-note"
        label={t('res.implementNote')}
        optional
        rows={2}
        maxLength={2000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors['implement-note']}
        data-testid="implement-note"
      />
      <button type="submit" className="btn btn-primary" disabled={disabled} data-testid="implement-submit">
        {t('res.implementSubmit')}
      </button>
    </form>
  );
}

/** A required reason behind a button (refusal, reopening): nothing happens on a stray click. */
function ReasonForm({
  id,
  openLabel,
  label,
  hint,
  requiredMessage,
  submitLabel,
  danger,
  disabled,
  testId,
  onSubmit,
}: {
  id: string;
  openLabel: string;
  label: string;
  hint: string;
  requiredMessage: string;
  submitLabel: string;
  danger?: boolean;
  disabled: boolean;
  testId: string;
  onSubmit: (reason: string) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  if (!open) {
    return (
      <button type="button" className={`btn ${danger ? 'btn-danger' : 'btn-secondary'}`} disabled={disabled} onClick={() => setOpen(true)} data-testid={`${testId}-open`}>
        {openLabel}
      </button>
    );
  }
  return (
    <form
      className="inv-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) {
          setError(requiredMessage);
          document.getElementById(id)?.focus();
          return;
        }
        setError(undefined);
        void onSubmit(reason.trim()).then((r) => {
          if (r === true) {
            setReason('');
            setOpen(false);
          } else if (r instanceof ApiError) {
            const f = r.fields.find((x) => x.field === 'reason');
            if (f) setError(f.message || r.message);
          }
        });
      }}
      data-testid={`${testId}-form`}
    >
      <TextArea
        id={id}
        label={label}
        hint={hint}
        required
        rows={3}
        maxLength={2000}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setError(undefined);
        }}
        error={error}
        data-testid={`${testId}-reason`}
      />
      <div className="actions-row">
        <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={disabled} data-testid={`${testId}-submit`}>
          {submitLabel}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)} data-testid={`${testId}-cancel`}>
          {t('common.back')}
        </button>
      </div>
    </form>
  );
}

/**
 * Chuyển cơ quan có thẩm quyền: an authority from the directory (filtered by kind and province) or a
 * name typed in, and the reason. Sen builds the dossier (PDF and ZIP) in the same step.
 */
function EscalationForm({
  disabled,
  customerProvince,
  onSubmit,
}: {
  disabled: boolean;
  /** The customer's province on the complaint: the directory opens on its Sở Công Thương. */
  customerProvince: string | null;
  onSubmit: (body: { authorityId?: string; authorityName?: string; reason: string }) => Promise<unknown>;
}) {
  const { t, label } = useI18n();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<'directory' | 'name'>('directory');
  const [kind, setKind] = useState<string>('department_of_industry_trade');
  const [province, setProvince] = useState(customerProvince ?? '');
  const [provinces, setProvinces] = useState<string[]>([]);
  const [authorities, setAuthorities] = useState<AuthorityOption[] | null>(null);
  const [authorityId, setAuthorityId] = useState('');
  const [authorityName, setAuthorityName] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  // The provinces of the chosen kind; the customer's own is chosen first (a single match is picked).
  useEffect(() => {
    if (!open || mode !== 'directory') return;
    const controller = new AbortController();
    api
      .get<ListOf<AuthorityOption>>('/api/v1/authorities', { query: { kind }, signal: controller.signal })
      .then((r) => {
        const names = [...new Set(r.items.map((a) => a.province).filter((p): p is string => !!p))];
        setProvinces(names.sort(new Intl.Collator('vi').compare));
        // The province chosen stays while this kind has it, else the customer's own; a kind with
        // neither (a national body) lists all of its own.
        setProvince((current) => (names.includes(current) ? current : customerProvince && names.includes(customerProvince) ? customerProvince : ''));
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [open, mode, kind, customerProvince]);

  // The directory filtered by kind and province, as the server matches them.
  useEffect(() => {
    if (!open || mode !== 'directory') return;
    const controller = new AbortController();
    setAuthorities(null);
    api
      .get<ListOf<AuthorityOption>>('/api/v1/authorities', { query: { kind, province }, signal: controller.signal })
      .then((r) => {
        setAuthorities(r.items);
        setAuthorityId((current) => (r.items.some((a) => a.id === current) ? current : r.items.length === 1 ? r.items[0].id : ''));
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setAuthorities([]);
      });
    return () => controller.abort();
  }, [open, mode, kind, province]);

  if (!open) {
    return (
      <button
        type="button"
        className="btn btn-secondary"
        disabled={disabled}
        onClick={() => {
          // The province as the complaint has it now (it may have been set since this page opened).
          setProvince(customerProvince ?? '');
          setOpen(true);
        }}
        data-testid="escalation-open"
      >
        {t('res.escalateOpen')}
      </button>
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (mode === 'directory' && !authorityId) next['escalation-authority'] = t('res.authorityRequired');
    if (mode === 'name' && !authorityName.trim()) next['escalation-authority-name'] = t('res.authorityNameRequired');
    if (!reason.trim()) next['escalation-reason'] = t('res.escalationReasonRequired');
    setErrors(next);
    if (Object.keys(next).length) {
      document.getElementById(Object.keys(next)[0])?.focus();
      return;
    }
    const body = mode === 'directory' ? { authorityId, reason: reason.trim() } : { authorityName: authorityName.trim(), reason: reason.trim() };
    void onSubmit(body).then((r) => {
      if (r === true) {
        setOpen(false);
        return;
      }
      if (!(r instanceof ApiError)) return;
      const ids: Record<string, string> = { authorityId: 'escalation-authority', authorityName: 'escalation-authority-name', reason: 'escalation-reason' };
      const byField: Record<string, string> = {};
      for (const f of r.fields) if (ids[f.field] && !byField[ids[f.field]]) byField[ids[f.field]] = f.message || r.message;
      setErrors(byField);
    });
  }

  return (
    <form className="inv-form" noValidate onSubmit={submit} data-testid="escalation-form">
      <h4>{t('res.escalateTitle')}</h4>
      <p className="field-hint">{t('res.escalateIntro')}</p>
      <fieldset className="checklist res-inline-options">
        <legend>{t('res.authority')}</legend>
        {(['directory', 'name'] as const).map((m) => (
          <div className="check-option" key={m}>
            <input
              type="radio"
              name="escalation-mode"
              id={`escalation-mode-${m}`}
              checked={mode === m}
              onChange={() => {
                setMode(m);
                setErrors({});
              }}
              data-testid={`escalation-mode-${m}`}
            />
            <label htmlFor={`escalation-mode-${m}`}>{t(m === 'directory' ? 'res.fromDirectory' : 'res.otherAuthority')}</label>
          </div>
        ))}
      </fieldset>
      {mode === 'directory' ? (
        <>
          <div className="grid-2">
            <SelectField
              id="escalation-kind"
              label={t('res.authorityKind')}
              value={kind}
              onChange={(e) => setKind(e.target.value)}
              data-testid="escalation-kind"
            >
              {AUTHORITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {label('authorityKindName', k)}
                </option>
              ))}
            </SelectField>
            <SelectField
              id="escalation-province"
              label={t('res.province')}
              value={province}
              onChange={(e) => setProvince(e.target.value)}
              data-testid="escalation-province"
            >
              <option value="">{t('res.allProvinces')}</option>
              {provinces.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </SelectField>
          </div>
          <SelectField
            id="escalation-authority"
            label={t('res.authorityPick')}
            required
            value={authorityId}
            onChange={(e) => {
              setAuthorityId(e.target.value);
              setErrors(({ ['escalation-authority']: _, ...rest }) => rest);
            }}
            error={errors['escalation-authority']}
            data-testid="escalation-authority"
            data-count={authorities?.length ?? ''}
          >
            <option value="">{authorities === null ? t('common.loading') : authorities.length ? t('res.authorityChoose') : t('res.noAuthorities')}</option>
            {(authorities ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
        </>
      ) : (
        <TextField
          id="escalation-authority-name"
          label={t('res.authorityName')}
          hint={t('res.authorityNameHint')}
          required
          maxLength={300}
          value={authorityName}
          onChange={(e) => setAuthorityName(e.target.value)}
          error={errors['escalation-authority-name']}
          data-testid="escalation-authority-name"
        />
      )}
      <TextArea
        id="escalation-reason"
        label={t('res.escalationReason')}
        hint={t('res.escalationReasonHint')}
        required
        rows={3}
        maxLength={4000}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setErrors(({ ['escalation-reason']: _, ...rest }) => rest);
        }}
        error={errors['escalation-reason']}
        data-testid="escalation-reason"
      />
      <div className="actions-row">
        <button type="submit" className="btn btn-primary" disabled={disabled} data-testid="escalation-submit">
          {disabled ? t('res.escalating') : t('res.escalateSubmit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
          {t('common.back')}
        </button>
      </div>
    </form>
  );
}

/** One escalation: the authority, the dossier (PDF, ZIP and their SHA-256), the hand-over and the outcome. */
function EscalationItem({
  escalation: e,
  canEdit,
  canClose,
  disabled,
  onPatch,
  onClose,
  feedbackFor,
}: {
  escalation: Escalation;
  canEdit: boolean;
  canClose: boolean;
  disabled: boolean;
  onPatch: (area: 'handover' | 'outcome', body: Record<string, string>) => Promise<unknown>;
  onClose: () => Promise<unknown>;
  feedbackFor: (area: Area) => ReactNode;
}) {
  const { t, label } = useI18n();
  const [editHandover, setEditHandover] = useState(false);
  const [editOutcome, setEditOutcome] = useState(false);
  return (
    <li className="inv-item res-escalation" data-testid="escalation" data-id={e.id} data-handed-over={e.handedOverAt ? 'true' : 'false'} data-outcome={e.outcome ? 'true' : 'false'}>
      <div className="inv-item-head">
        <strong data-testid="escalation-authority-label">{e.authority.name}</strong>
        {e.authority.kind ? <span className="badge res-badge">{label('authorityKindName', e.authority.kind)}</span> : null}
      </div>
      <p className="note-body" data-testid="escalation-reason-text">
        {e.reason}
      </p>
      <p className="timeline-meta">
        {e.createdBy ? t('res.escalatedBy', { name: e.createdBy.name, at: formatDateTime(e.createdAt) }) : formatDateTime(e.createdAt)}
      </p>

      <div className="res-dossier" data-testid="dossier">
        <p className="small-heading">{t('res.dossier')}</p>
        <ul className="res-dossier-list">
          {e.dossier.pdfUrl ? (
            <li>
              <a href={e.dossier.pdfUrl} download data-testid="dossier-pdf">
                {t('res.dossierPdf')}
              </a>
              <span className="res-sha">
                SHA-256: <code data-testid="dossier-pdf-sha">{e.dossier.pdfSha256}</code>
              </span>
            </li>
          ) : null}
          {e.dossier.zipUrl ? (
            <li>
              <a href={e.dossier.zipUrl} download data-testid="dossier-zip">
                {t('res.dossierZip')}
              </a>
              <span className="res-sha">
                SHA-256: <code data-testid="dossier-zip-sha">{e.dossier.zipSha256}</code>
              </span>
            </li>
          ) : null}
        </ul>
        <p className="field-hint">{t('res.dossierHint')}</p>
      </div>

      <div className="res-escalation-step" data-testid="escalation-handover-part">
        <p className="small-heading">{t('res.handover')}</p>
        {e.handedOverAt ? (
          <p data-testid="escalation-handover">
            {t('res.handedOver', { date: formatDate(e.handedOverAt), ref: e.referenceNo ?? '—' })}
          </p>
        ) : (
          <p className="muted" data-testid="escalation-handover-none">
            {t('res.notHandedOver')}
          </p>
        )}
        {canEdit && (!e.handedOverAt || editHandover) ? (
          <DateAndTextForm
            testId="handover"
            dateId={`handover-at-${e.id}`}
            dateLabel={t('res.handoverDate')}
            textId={`handover-ref-${e.id}`}
            textLabel={t('res.referenceNo')}
            textHint={t('res.referenceNoHint')}
            textRequired={false}
            initialDate={e.handedOverAt}
            initialText={e.referenceNo ?? ''}
            minDate={toVietnamLocalInput(e.createdAt).slice(0, 10)}
            minDateMessage={t('res.handoverBeforeEscalation')}
            submitLabel={t('res.handoverSubmit')}
            disabled={disabled}
            onCancel={e.handedOverAt ? () => setEditHandover(false) : undefined}
            onSubmit={(date, text) =>
              onPatch('handover', { handedOverAt: date, ...(text ? { referenceNo: text } : {}) }).then((r) => {
                if (r === true) setEditHandover(false);
                return r;
              })
            }
            fieldIds={{ handedOverAt: 'date', referenceNo: 'text' }}
          />
        ) : canEdit ? (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditHandover(true)} data-testid="handover-edit">
            {t('res.correct')}
          </button>
        ) : null}
        {feedbackFor('handover')}
      </div>

      <div className="res-escalation-step" data-testid="escalation-outcome-part">
        <p className="small-heading">{t('res.outcome')}</p>
        {e.outcome ? (
          <div data-testid="escalation-outcome">
            <p className="timeline-meta">{t('res.outcomeOn', { date: formatDate(e.outcomeAt) })}</p>
            <blockquote className="message-body" data-testid="escalation-outcome-text">
              {e.outcome}
            </blockquote>
          </div>
        ) : (
          <p className="muted" data-testid="escalation-outcome-none">
            {e.handedOverAt ? t('res.noOutcome') : t('res.outcomeAfterHandover')}
          </p>
        )}
        {canEdit && e.handedOverAt && (!e.outcome || editOutcome) ? (
          <DateAndTextForm
            testId="outcome"
            dateId={`outcome-at-${e.id}`}
            dateLabel={t('res.outcomeDate')}
            textId={`outcome-text-${e.id}`}
            textLabel={t('res.outcomeText')}
            textHint={t('res.outcomeTextHint')}
            textRequired
            multiline
            initialDate={e.outcomeAt}
            initialText={e.outcome ?? ''}
            minDate={toVietnamLocalInput(e.handedOverAt).slice(0, 10)}
            submitLabel={t('res.outcomeSubmit')}
            disabled={disabled}
            onCancel={e.outcome ? () => setEditOutcome(false) : undefined}
            onSubmit={(date, text) =>
              onPatch('outcome', { outcomeAt: date, outcome: text }).then((r) => {
                if (r === true) setEditOutcome(false);
                return r;
              })
            }
            fieldIds={{ outcomeAt: 'date', outcome: 'text' }}
          />
        ) : canEdit && e.outcome ? (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditOutcome(true)} data-testid="outcome-edit">
            {t('res.correct')}
          </button>
        ) : null}
        {feedbackFor('outcome')}
      </div>

      {canClose && e.outcome ? (
        <div className="actions-row">
          <button type="button" className="btn btn-primary" disabled={disabled} onClick={() => void onClose()} data-testid="escalation-close">
            {t('res.closeAfterOutcome')}
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** A date (Vietnam calendar day) and a text: the hand-over with its reference number, or the authority's outcome. */
function DateAndTextForm({
  testId,
  dateId,
  dateLabel,
  textId,
  textLabel,
  textHint,
  textRequired,
  multiline,
  initialDate,
  initialText,
  minDate,
  minDateMessage,
  submitLabel,
  disabled,
  onCancel,
  onSubmit,
  fieldIds,
}: {
  testId: string;
  dateId: string;
  dateLabel: string;
  textId: string;
  textLabel: string;
  textHint: string;
  textRequired: boolean;
  multiline?: boolean;
  initialDate: string | null;
  initialText: string;
  minDate?: string;
  /** What to say of a date before `minDate` (default: the outcome before the hand-over). */
  minDateMessage?: string;
  submitLabel: string;
  disabled: boolean;
  onCancel?: () => void;
  onSubmit: (dateIso: string, text: string) => Promise<unknown>;
  fieldIds: Record<string, 'date' | 'text'>;
}) {
  const { t } = useI18n();
  const [date, setDate] = useState(() => (initialDate ? toVietnamLocalInput(initialDate).slice(0, 10) : vietnamToday()));
  const [text, setText] = useState(initialText);
  const [errors, setErrors] = useState<{ date?: string; text?: string }>({});
  const today = vietnamToday();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: { date?: string; text?: string } = {};
    const iso = fromVietnamDate(date);
    if (!iso) next.date = t('res.dateRequired');
    else if (date > today) next.date = t('res.timeFuture');
    else if (minDate && date < minDate) next.date = minDateMessage ?? t('res.outcomeBeforeHandover');
    if (textRequired && !text.trim()) next.text = t('res.outcomeTextRequired');
    setErrors(next);
    if (next.date || next.text) {
      document.getElementById(next.date ? dateId : textId)?.focus();
      return;
    }
    void onSubmit(iso!, text.trim()).then((r) => {
      if (!(r instanceof ApiError)) return;
      const byField: { date?: string; text?: string } = {};
      for (const f of r.fields) {
        const which = fieldIds[f.field];
        if (which && !byField[which]) byField[which] = f.message || r.message;
      }
      setErrors(byField);
    });
  }

  const textProps = {
    id: textId,
    label: textLabel,
    hint: textHint,
    required: textRequired,
    optional: !textRequired,
    value: text,
    error: errors.text,
    'data-testid': `${testId}-text`,
  };
  return (
    <form className="inv-form" noValidate onSubmit={submit} data-testid={`${testId}-form`}>
      <DateField
        id={dateId}
        label={dateLabel}
        required
        max={today}
        min={minDate}
        value={date}
        onValue={setDate}
        error={errors.date}
        data-testid={`${testId}-date`}
      />
      {multiline ? (
        <TextArea {...textProps} rows={3} maxLength={4000} onChange={(e) => setText(e.target.value)} />
      ) : (
        <TextField {...textProps} maxLength={200} onChange={(e) => setText(e.target.value)} />
      )}
      <div className="actions-row">
        <button type="submit" className="btn btn-primary btn-small" disabled={disabled} data-testid={`${testId}-submit`}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
            {t('common.back')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** Why the complaint moved, for the causes of steps 4 and 5 (status.changed `cause`). */
export const RESOLUTION_CAUSES = ['proposal_offered', 'proposal_rejected', 'proposal_implemented', 'auto_close', 'survey_answered', 'reopened'];

/** What steps 4 and 5 add to a status change: the root cause recorded, the survey scheduled, the reopening count. */
export function StatusChangeExtras({ payload: p }: { payload: Record<string, unknown> }) {
  const { t, lang } = useI18n();
  const cause = str(p.cause);
  const rc = p.rootCause && typeof p.rootCause === 'object' ? (p.rootCause as { name?: string; nameEn?: string | null }) : null;
  const survey = p.survey && typeof p.survey === 'object' ? (p.survey as { resolutionNo?: number; sendAfter?: string }) : null;
  return (
    <>
      {cause && RESOLUTION_CAUSES.includes(cause) ? (
        <p className="timeline-reason" data-testid="timeline-status-cause" data-cause={cause}>
          {t(`timeline.cause.${cause}` as MessageKey)}
        </p>
      ) : null}
      {rc?.name ? (
        <p className="timeline-reason" data-testid="timeline-root-cause">
          {t('timeline.rootCause', { name: lang === 'en' && rc.nameEn ? rc.nameEn : rc.name })}
        </p>
      ) : null}
      {survey?.sendAfter ? (
        <p className="timeline-reason" data-testid="timeline-survey-scheduled">
          {t('timeline.surveyScheduled', { n: survey.resolutionNo ?? 1, at: formatDateTime(survey.sendAfter) })}
        </p>
      ) : null}
      {typeof p.reopenCount === 'number' ? (
        <p className="timeline-reason" data-testid="timeline-reopen-count">
          {t('timeline.reopenCount', { n: p.reopenCount })}
        </p>
      ) : null}
    </>
  );
}

/** "★★★★☆" with the rating in words beside it. */
export function Stars({ rating, testId }: { rating: number; testId?: string }) {
  const { t } = useI18n();
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return (
    <span className="res-stars" data-testid={testId} data-rating={n}>
      <span aria-hidden="true">{'★'.repeat(n) + '☆'.repeat(5 - n)}</span> <span>{t('res.ratingOf', { n })}</span>
    </span>
  );
}

/**
 * What a step 4 or 5 event says on the staff timeline: proposals, approvals, the customer's answers,
 * the implementation, escalation and its dossier, root causes, surveys, links between complaints.
 * Returns null for other types (the page renders those).
 */
export function ResolutionEventPayload({ event }: { event: TimelineEvent }) {
  const { t, label, lang } = useI18n();
  const p = event.payload ?? {};
  switch (event.type) {
    case 'proposal.created':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-proposal" data-kind={str(p.kind)}>
            {kindAndAmount(str(p.kind), p.amountVnd, label)}
          </p>
          {str(p.description) ? <p className="note-body">{str(p.description)}</p> : null}
          {p.needsApproval ? (
            <p className="timeline-reason" data-testid="timeline-needs-approval">
              {p.approvedByAuthor ? t('timeline.approvedByAuthor') : t('timeline.needsApproval')}
            </p>
          ) : null}
        </>
      );
    case 'proposal.offered':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-proposal" data-kind={str(p.kind)}>
            {kindAndAmount(str(p.kind), p.amountVnd, label)}
          </p>
          <p className="timeline-reason">{t('timeline.offered')}</p>
        </>
      );
    case 'proposal.approved':
      return (
        <>
          <p className="timeline-change">{t('timeline.approved')}</p>
          {str(p.note) ? <p className="note-body">{str(p.note)}</p> : null}
        </>
      );
    case 'proposal.approval_rejected':
      return (
        <>
          <p className="timeline-change">{t('timeline.approvalRejected')}</p>
          {str(p.note) ? (
            <p className="note-body" data-testid="timeline-approval-note">
              {str(p.note)}
            </p>
          ) : null}
        </>
      );
    case 'proposal.accepted':
    case 'proposal.rejected':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-decision" data-channel={str(p.channel)}>
            {t(event.type === 'proposal.accepted' ? 'timeline.acceptedVia' : 'timeline.rejectedVia', {
              channel: label('decisionChannel', str(p.channel)),
              at: formatDateTime(str(p.at) ?? event.at),
            })}
          </p>
          {str(p.note) ? (
            <blockquote className="message-body" data-testid="timeline-decision-note">
              {str(p.note)}
            </blockquote>
          ) : null}
        </>
      );
    case 'proposal.implemented':
      return (
        <>
          <p className="timeline-change">{t('timeline.doneAt', { at: formatDateTime(str(p.doneAt)) })}</p>
          {str(p.refundReference) ? <p className="timeline-reason">{t('res.refundRef', { ref: str(p.refundReference) ?? '' })}</p> : null}
          {str(p.shipmentReference) ? <p className="timeline-reason">{t('res.shipmentRef', { ref: str(p.shipmentReference) ?? '' })}</p> : null}
          {str(p.note) ? <p className="note-body">{str(p.note)}</p> : null}
        </>
      );
    case 'proposal.withdrawn':
      return (
        <p className="timeline-change" data-testid="timeline-withdrawn" data-cause={str(p.cause)}>
          {label('withdrawCause', str(p.cause))}
        </p>
      );
    case 'escalation.created': {
      const a = (p.authority ?? {}) as { name?: string; kind?: string | null };
      return (
        <>
          <p className="timeline-change" data-testid="timeline-authority">
            {a.name ?? '—'}
            {a.kind ? ` (${label('authorityKindName', a.kind)})` : ''}
          </p>
          {str(p.reason) ? <p className="note-body">{str(p.reason)}</p> : null}
          <ul className="timeline-list res-sha-list">
            {str(p.dossierPdfSha256) ? (
              <li>
                {t('timeline.dossierPdf')}: <code>{str(p.dossierPdfSha256)}</code>
              </li>
            ) : null}
            {str(p.dossierZipSha256) ? (
              <li>
                {t('timeline.dossierZip')}: <code data-testid="timeline-dossier-zip-sha">{str(p.dossierZipSha256)}</code>
              </li>
            ) : null}
          </ul>
        </>
      );
    }
    case 'escalation.handed_over': {
      const prev = (p.previous ?? null) as { handedOverAt?: string; referenceNo?: string | null } | null;
      return (
        <>
          <p className="timeline-change" data-testid="timeline-handover">
            {t('res.handedOver', { date: formatDate(str(p.handedOverAt)), ref: str(p.referenceNo) ?? '—' })}
          </p>
          {prev ? (
            <p className="timeline-reason">{t('timeline.correctsHandover', { date: formatDate(prev.handedOverAt), ref: prev.referenceNo ?? '—' })}</p>
          ) : null}
        </>
      );
    }
    case 'escalation.outcome': {
      const prev = (p.previous ?? null) as { outcome?: string; outcomeAt?: string } | null;
      return (
        <>
          <p className="timeline-change">{t('res.outcomeOn', { date: formatDate(str(p.outcomeAt)) })}</p>
          {str(p.outcome) ? (
            <blockquote className="message-body" data-testid="timeline-outcome">
              {str(p.outcome)}
            </blockquote>
          ) : null}
          {prev?.outcome ? <p className="timeline-reason">{t('timeline.correctsOutcome', { outcome: prev.outcome })}</p> : null}
        </>
      );
    }
    case 'root_cause.set': {
      const rc = (p.rootCause ?? {}) as { name?: string; nameEn?: string | null };
      return (
        <p className="timeline-change" data-testid="timeline-root-cause">
          {t('timeline.rootCause', { name: (lang === 'en' && rc.nameEn ? rc.nameEn : rc.name) ?? '—' })}
        </p>
      );
    }
    case 'survey.sent':
      return (
        <p className="timeline-change" data-testid="timeline-survey-sent">
          {t('timeline.surveySent', { n: typeof p.resolutionNo === 'number' ? p.resolutionNo : 1, to: str(p.to) ?? '—' })}
          {str(p.expiresAt) ? ` · ${t('timeline.surveyExpires', { at: formatDateTime(str(p.expiresAt)) })}` : ''}
        </p>
      );
    case 'survey.answered':
      return (
        <>
          <p className="timeline-change" data-testid="timeline-survey-answered" data-rating={typeof p.rating === 'number' ? p.rating : ''}>
            {t('timeline.surveyAnswered', { n: typeof p.resolutionNo === 'number' ? p.resolutionNo : 1 })}{' '}
            {typeof p.rating === 'number' ? <Stars rating={p.rating} /> : null}
            {str(p.via) ? ` · ${label('surveyVia', str(p.via))}` : ''}
          </p>
          {str(p.comment) ? (
            <blockquote className="message-body" data-testid="timeline-survey-comment">
              {str(p.comment)}
            </blockquote>
          ) : null}
        </>
      );
    case 'complaint.linked': {
      const prev = str(p.previousCode);
      return prev ? (
        <p className="timeline-change" data-testid="timeline-linked">
          {t('timeline.continues')}{' '}
          <Link to={`/staff/complaints/${encodeURIComponent(prev)}`}>{prev}</Link>
        </p>
      ) : null;
    }
    case 'complaint.merged_in': {
      const from = str(p.from);
      return from ? (
        <>
          <p className="timeline-change" data-testid="timeline-merged-in">
            {t('timeline.mergedIn')} <Link to={`/staff/complaints/${encodeURIComponent(from)}`}>{from}</Link>
          </p>
          {str(p.reason) ? <p className="timeline-reason">{t('timeline.reason', { reason: str(p.reason) ?? '' })}</p> : null}
        </>
      ) : null;
    }
    case 'corrective_action.linked':
    case 'corrective_action.unlinked':
      return str(p.title) ? (
        <p className="timeline-change" data-testid="timeline-corrective-action">
          {str(p.title)}
        </p>
      ) : null;
    default:
      return null;
  }
}

/** The timeline types ResolutionEventPayload renders. */
export const RESOLUTION_EVENT_TYPES = [
  'proposal.created',
  'proposal.offered',
  'proposal.approved',
  'proposal.approval_rejected',
  'proposal.accepted',
  'proposal.rejected',
  'proposal.implemented',
  'proposal.withdrawn',
  'escalation.created',
  'escalation.handed_over',
  'escalation.outcome',
  'root_cause.set',
  'survey.sent',
  'survey.answered',
  'complaint.linked',
  'complaint.merged_in',
  'corrective_action.linked',
  'corrective_action.unlinked',
];
