import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api';
import { formErrorsFrom, NO_ERRORS, useFormErrors } from '../errors';
import { useI18n, type I18n } from '../i18n';
import { useSession } from '../session';
import { MAX_BULK_ASSIGN, type BulkAssignAnswer, type BulkAssignInput, type Role, type Team, type UserListItem } from '../types';
import { can, canAssignTo } from '../../../src/policies';
import { Notice, SelectField } from './forms';
import '../bulk.css';

/** A picker left at "giữ nguyên": the field is not sent. */
const KEEP = '';
/** A picker at "bỏ …": the field is sent as null (cleared). Never a staff or team id, which are UUIDs. */
const CLEAR = 'none';

/** The result's id: focused once an assignment has answered, so that the next Tab goes on from there. */
export const BULK_RESULT_ID = 'bulk-result';
/** The header's checkbox: where the focus goes when "Bỏ chọn" takes the bar away. */
export const SELECT_ALL_ID = 'bulk-select-all';

/** Whether a role may tick complaints in the queue and assign them (agents, supervisors, admins). */
export function mayAssign(role: Role | undefined): boolean {
  return !!role && can(role, 'complaint.assign');
}

/** "Chọn tất cả trên trang này": ticked when every row shown is, mixed when only some are. */
export function SelectAllCheckbox({ total, selected, onChange }: { total: number; selected: number; onChange: (all: boolean) => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLInputElement>(null);
  const all = total > 0 && selected >= total;
  const some = selected > 0 && !all;
  // `indeterminate` is a property only, not an attribute React can set; a click clears it, so it is set after every render.
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = some;
  });
  return (
    <label className="select-box select-all">
      <input
        ref={ref}
        type="checkbox"
        id={SELECT_ALL_ID}
        checked={all}
        disabled={total === 0}
        onChange={() => onChange(!all)}
        data-testid="bulk-select-all"
      />
      <span className="visually-hidden select-all-text">{t('bulk.selectAll')}</span>
    </label>
  );
}

/** One row's tick, named after the complaint ("Chọn KN-2026-000123"). */
export function RowCheckbox({ code, checked, onChange }: { code: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const { t } = useI18n();
  return (
    <label className="select-box">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid="bulk-select" />
      <span className="visually-hidden">{t('bulk.select', { code })}</span>
    </label>
  );
}

interface BulkAssignBarProps {
  /** The ticked complaints, in the queue's order. */
  codes: string[];
  users: UserListItem[];
  teams: Team[];
  /** The API answered (each complaint assigned, unchanged or failed). */
  onAssigned: (answer: BulkAssignAnswer) => void;
  /** "Bỏ chọn": untick everything. */
  onClear: () => void;
}

/**
 * Phân công hàng loạt — the bar shown while complaints are ticked: who and which team to give them to, each picker
 * starting at "giữ nguyên" (not sent). An agent may only take them or hand them back, as on the complaint page.
 */
export function BulkAssignBar({ codes, users, teams, onAssigned, onClear }: BulkAssignBarProps) {
  const { t, label } = useI18n();
  const { session } = useSession();
  const [assignee, setAssignee] = useState(KEEP);
  const [team, setTeam] = useState(KEEP);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useFormErrors();

  const role = session?.user.role;
  const me = session?.user.id ?? '';
  const agentOnly = role === 'agent';
  // Those this user may give complaints to; auditors only read.
  const staff = users.filter((u) => u.role !== 'auditor' && !!role && canAssignTo(role, me, u.id));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (assignee === KEEP && team === KEEP) {
      setErrors((tr) => ({ fields: { 'bulk-assignee': tr('bulk.nothingChosen') }, general: [] }));
      document.getElementById('bulk-assignee')?.focus();
      return;
    }
    if (codes.length > MAX_BULK_ASSIGN) {
      setErrors((tr) => ({ fields: {}, general: [tr('bulk.tooMany', { max: MAX_BULK_ASSIGN })] }));
      return;
    }
    // Only what the user changed from "giữ nguyên" is sent; "bỏ …" is sent as null.
    const body: BulkAssignInput = {
      codes,
      ...(assignee === KEEP ? {} : { assigneeId: assignee === CLEAR ? null : assignee }),
      ...(team === KEEP ? {} : { teamId: team === CLEAR ? null : team }),
    };
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const answer = await api.post<BulkAssignAnswer>('/api/v1/complaints/assignments', body);
      onAssigned(answer);
    } catch (err) {
      // An assignee or team the server refuses (422) is said beside its picker; anything else as the app says errors.
      const errorsIn = (tr: I18n['t']) => formErrorsFrom(err, tr, { assigneeId: 'bulk-assignee', teamId: 'bulk-team' });
      setErrors(errorsIn);
      const first = Object.keys(errorsIn(t).fields)[0];
      window.setTimeout(() => document.getElementById(first ?? 'bulk-error')?.focus(), 0);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="bulk-bar" aria-label={t('bulk.region')} data-testid="bulk-bar">
      <p className="bulk-count" aria-live="polite" data-testid="bulk-count">
        {codes.length === 1 ? t('bulk.selectedOne') : t('bulk.selected', { count: codes.length })}
      </p>
      {agentOnly ? (
        <p className="field-hint bulk-hint" id="bulk-agent-hint">
          {t('complaint.assignAgentHint')}
        </p>
      ) : null}
      <form className="bulk-form" onSubmit={(e) => void submit(e)} noValidate>
        <SelectField
          id="bulk-assignee"
          label={t('bulk.assignee')}
          value={assignee}
          onChange={(e) => setAssignee(e.target.value)}
          error={errors.fields['bulk-assignee']}
          extraDescription={agentOnly ? 'bulk-agent-hint' : undefined}
          data-testid="bulk-assignee"
        >
          <option value={KEEP}>{t('bulk.keep')}</option>
          {agentOnly ? (
            <option value={me}>{t('bulk.me')}</option>
          ) : (
            staff.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} — {label('role', u.role)}
              </option>
            ))
          )}
          <option value={CLEAR}>{t('bulk.clearAssignee')}</option>
        </SelectField>
        <SelectField
          id="bulk-team"
          label={t('bulk.team')}
          value={team}
          onChange={(e) => setTeam(e.target.value)}
          error={errors.fields['bulk-team']}
          data-testid="bulk-team"
        >
          <option value={KEEP}>{t('bulk.keep')}</option>
          {teams.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
          <option value={CLEAR}>{t('bulk.clearTeam')}</option>
        </SelectField>
        <div className="actions-row bulk-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="bulk-submit">
            {busy ? t('bulk.submitting') : t('bulk.submit')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClear} disabled={busy} data-testid="bulk-clear">
            {t('bulk.clearSelection')}
          </button>
        </div>
      </form>
      {errors.general.length ? (
        <div id="bulk-error" tabIndex={-1}>
          <Notice kind="error" testId="bulk-error">
            {errors.general.join(' ')}
          </Notice>
        </div>
      ) : null}
    </section>
  );
}

/** "Đã phân công 12 khiếu nại; 2 không đổi; 1 không thực hiện được", the parts with nothing to count left out. */
export function bulkSummary(answer: BulkAssignAnswer, t: I18n['t']): string {
  const parts = [answer.assigned === 1 ? t('bulk.resultAssignedOne') : t('bulk.resultAssigned', { count: answer.assigned })];
  if (answer.unchanged) parts.push(t('bulk.resultUnchanged', { count: answer.unchanged }));
  if (answer.failed) parts.push(t('bulk.resultFailed', { count: answer.failed }));
  return parts.join('; ');
}

/**
 * What the last bulk assignment did, and why each complaint that could not be assigned was not (the server's words,
 * in the language asked). Always in the page, empty at first, so that screen readers announce the answer.
 */
export function BulkResult({ answer }: { answer: BulkAssignAnswer | null }) {
  const { t } = useI18n();
  const failures = answer ? answer.results.filter((r) => r.outcome === 'failed') : [];
  return (
    <div
      id={BULK_RESULT_ID}
      role="status"
      tabIndex={-1}
      className={answer ? `notice bulk-result ${answer.failed ? 'notice-warning' : 'notice-success'}` : 'bulk-result-idle'}
      data-testid="bulk-result"
    >
      {answer ? <p className="bulk-summary" data-testid="bulk-summary">{bulkSummary(answer, t)}</p> : null}
      {failures.length ? (
        <ul className="bulk-failures" aria-label={t('bulk.failures')} data-testid="bulk-failures">
          {failures.map((r) => (
            <li key={r.code} data-code={r.code}>
              {r.code}: {r.error?.message || t('error.generic')}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
