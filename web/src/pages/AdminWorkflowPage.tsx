import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, isAbort, request } from '../api';
import { ErrorSummary, Notice, TextField } from '../components/forms';
import { AdminTabs, LoadFailed, NotAllowed, useRole, type Loaded } from '../components/followup-common';
import { StaffLayout, useTitle } from '../components/layout';
import { formErrorsFrom, useFormErrors, type FormErrors } from '../errors';
import { formatCount } from '../followup-format';
import type { WorkflowPolicy } from '../followup-types';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { formatVndWhileTyping, groupThousands, normalizeVndInput, parseVndAmount, VND_AMOUNT_PROBLEM_MESSAGES } from '../vnd-amount';

type Key = keyof WorkflowPolicy;

/** The fields, in the order an admin thinks of them, with their unit and bounds (as the server checks them). */
const FIELDS: { key: Key; unit: MessageKey; min: number; max: number }[] = [
  { key: 'proposalApprovalThresholdVnd', unit: 'workflow.unitVnd', min: 0, max: 100_000_000_000 },
  { key: 'infoRequestDays', unit: 'workflow.unitWorkingDays', min: 1, max: 60 },
  { key: 'infoRequestReminderDays', unit: 'workflow.unitWorkingDays', min: 0, max: 30 },
  { key: 'consultationDays', unit: 'workflow.unitWorkingDays', min: 1, max: 60 },
  { key: 'surveyDelayHours', unit: 'workflow.unitHours', min: 0, max: 720 },
  { key: 'autoCloseDays', unit: 'workflow.unitDays', min: 1, max: 365 },
  { key: 'reopenWindowDays', unit: 'workflow.unitDays', min: 0, max: 365 },
  { key: 'linkValidityDays', unit: 'workflow.unitDays', min: 1, max: 90 },
];

const inputId = (k: Key) => `wf-${k}`;
const FIELD_IDS = Object.fromEntries(FIELDS.map((f) => [f.key, inputId(f.key)]));

type Draft = Record<Key, string>;

function draftOf(p: WorkflowPolicy): Draft {
  const d = {} as Draft;
  for (const f of FIELDS) d[f.key] = f.key === 'proposalApprovalThresholdVnd' ? groupThousands(p[f.key]) : String(p[f.key]);
  return d;
}

/**
 * The body as typed: numbers where the text is a number, the text itself otherwise, so that the
 * server's answer (422 with every field at fault) is what names the mistakes.
 */
function bodyOf(d: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const raw = d[f.key].trim();
    if (f.key === 'proposalApprovalThresholdVnd') {
      const amount = parseVndAmount(raw);
      out[f.key] = amount.state === 'ok' ? amount.value : amount.state === 'empty' ? undefined : raw;
      continue;
    }
    if (raw === '') continue;
    const n = Number(raw.replace(',', '.'));
    out[f.key] = Number.isFinite(n) ? n : raw;
  }
  return out;
}

/**
 * The 422's field errors next to their inputs, each naming its field and, for a value out of range,
 * the range (the API says which fields and why; the words say what to type instead).
 */
function workflowErrors(err: unknown, t: I18n['t']): FormErrors {
  if (!(err instanceof ApiError) || !err.fields.length) return formErrorsFrom(err, t, FIELD_IDS);
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const f of err.fields) {
    const def = FIELDS.find((x) => x.key === f.field);
    if (!def) {
      general.push(f.message || err.message);
      continue;
    }
    const label = t(`workflow.${def.key}`);
    const range = { label, min: formatCount(def.min), max: formatCount(def.max) };
    fields[inputId(def.key)] ??=
      f.code === 'out_of_range'
        ? t('workflow.outOfRange', range)
        : f.code === 'must_be_integer' || f.code === 'wrong_type'
          ? t('workflow.mustBeInteger', range)
          : f.code === 'required'
            ? t('workflow.required', range)
            : `${label}: ${f.message || err.message}`;
  }
  return { fields, general };
}

/** Quy trình xử lý — approval threshold, answer times, survey delay, auto-close, reopen window, link validity. */
export function AdminWorkflowPage() {
  return (
    <StaffLayout>
      <Workflow />
    </StaffLayout>
  );
}

function Workflow() {
  const { t } = useI18n();
  useTitle(t('workflow.title'));
  const role = useRole();
  const canRead = role === 'supervisor' || role === 'admin' || role === 'auditor';
  const canManage = role === 'admin';
  const [loaded, setLoaded] = useState<Loaded<true>>({ state: 'loading' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [errors, setErrors] = useFormErrors();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!canRead) return;
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api
      .get<{ policy: WorkflowPolicy }>('/api/v1/admin/workflow-policy', { signal: controller.signal })
      .then((r) => {
        setDraft(draftOf(r.policy));
        setLoaded({ state: 'done', value: true });
      })
      .catch((error: unknown) => {
        if (!isAbort(error)) setLoaded({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [attempt, canRead]);

  if (role && !canRead) return <NotAllowed message={t('workflow.forbidden')} testId="workflow-forbidden" />;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !draft) return;
    // An amount that cannot be read as whole dong ("2.000.000,50") is refused here rather than sent
    // as another number.
    const threshold = parseVndAmount(draft.proposalApprovalThresholdVnd);
    if (threshold.state === 'invalid') {
      const message = VND_AMOUNT_PROBLEM_MESSAGES[threshold.problem];
      const id = inputId('proposalApprovalThresholdVnd');
      setSaved(false);
      // The summary takes the focus and links to the field, as for the server's errors.
      setErrors((tr) => ({ fields: { [id]: `${tr('workflow.proposalApprovalThresholdVnd')}: ${tr(message)}` }, general: [] }));
      return;
    }
    setSaving(true);
    setSaved(false);
    setErrors({ fields: {}, general: [] });
    try {
      const r = await request<{ policy: WorkflowPolicy }>('PUT', '/api/v1/admin/workflow-policy', { body: bodyOf(draft) });
      setDraft(draftOf(r.policy));
      setSaved(true);
    } catch (err) {
      setErrors((tr) => workflowErrors(err, tr));
    } finally {
      setSaving(false);
    }
  }

  return (
    <div data-testid="workflow-page">
      {canManage ? <AdminTabs /> : null}
      <div className="page-head">
        <h1>{t('workflow.title')}</h1>
        <p className="lead">{t('workflow.intro')}</p>
      </div>
      {loaded.state === 'failed' ? <LoadFailed error={loaded.error} onRetry={() => setAttempt((a) => a + 1)} testId="workflow-load-error" /> : null}
      {loaded.state === 'loading' ? <p className="loading">{t('common.loading')}</p> : null}
      {loaded.state === 'done' && draft ? (
        <section className="card" aria-labelledby="workflow-heading">
          <h2 id="workflow-heading" className="visually-hidden">
            {t('workflow.title')}
          </h2>
          {!canManage ? <p className="muted">{t('workflow.readOnly')}</p> : null}
          <form onSubmit={submit} noValidate data-testid="workflow-form">
            <ErrorSummary errors={errors} />
            <fieldset disabled={!canManage}>
              <div className="grid-2">
                {FIELDS.map((f) => {
                  const vnd = f.key === 'proposalApprovalThresholdVnd';
                  return (
                    <TextField
                      key={f.key}
                      id={inputId(f.key)}
                      label={`${t(`workflow.${f.key}`)} (${t(f.unit)})`}
                      hint={t(`workflow.${f.key}Hint`, { min: formatCount(f.min), max: formatCount(f.max) })}
                      required
                      inputMode="numeric"
                      autoComplete="off"
                      value={draft[f.key]}
                      onChange={(e) => {
                        setSaved(false);
                        setDraft({ ...draft, [f.key]: vnd ? formatVndWhileTyping(e.target.value) : e.target.value });
                      }}
                      onBlur={vnd ? () => setDraft((d) => (d ? { ...d, [f.key]: normalizeVndInput(d[f.key]) } : d)) : undefined}
                      error={errors.fields[inputId(f.key)]}
                      data-testid={inputId(f.key)}
                      className={vnd ? 'fu-input-money' : 'fu-input-number'}
                    />
                  );
                })}
              </div>
            </fieldset>
            {canManage ? (
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={saving} data-testid="workflow-save">
                  {saving ? t('common.saving') : t('workflow.save')}
                </button>
              </div>
            ) : null}
            <div aria-live="polite">
              {saved ? (
                <Notice kind="success" testId="workflow-saved">
                  {t('workflow.saved')}
                </Notice>
              ) : null}
            </div>
          </form>
        </section>
      ) : null}
    </div>
  );
}
