import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api';
import { formErrorsFrom, hasErrors, NO_ERRORS, useFormErrors, type FormErrors } from '../errors';
import { displayPhone } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import type { CustomerPageData } from '../personal-data-types';
import type { ComplaintDetail, ComplaintPatch, CustomerPatch } from '../types';
import { Notice, TextArea, TextField } from './forms';

// Sửa thông tin — staff correcting a customer's details or a complaint's own text, inline where they are shown.
// The API is the judge (the same rules as intake); the form only spares a round trip for a blank required field.

/**
 * An "Edit" button that opens `form` in place; focus goes to the form's first field when it opens and back to
 * the button when it closes, and a saved change is announced beside the button.
 */
function EditPanel(props: {
  id: string;
  label: string;
  children: (close: (saved?: string) => void) => ReactNode;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) document.querySelector<HTMLElement>(`#${props.id} input, #${props.id} textarea`)?.focus();
    else if (wasOpen.current) button.current?.focus();
    wasOpen.current = open;
  }, [open, props.id]);
  if (open) {
    return (
      <div id={props.id} className="inline-form correction-form">
        {props.children((message) => {
          setSaved(message ?? null);
          setOpen(false);
        })}
      </div>
    );
  }
  return (
    <>
      <div className="actions-row">
        <button
          ref={button}
          type="button"
          className="btn btn-secondary btn-small"
          aria-label={props.label}
          aria-expanded={false}
          aria-controls={props.id}
          onClick={() => {
            setSaved(null);
            setOpen(true);
          }}
          data-testid={`${props.id}-edit`}
        >
          {t('correction.edit')}
        </button>
      </div>
      {saved ? (
        <Notice kind="success" testId={`${props.id}-saved`}>
          {saved}
        </Notice>
      ) : null}
    </>
  );
}

/** Errors beside the fields, and those that belong to none above the buttons. */
function GeneralErrors({ errors }: { errors: FormErrors }) {
  if (!errors.general.length) return null;
  return (
    <Notice kind="error" testId="correction-error">
      {errors.general.join(' ')}
    </Notice>
  );
}

/** Focuses the first field an error names. */
function focusFirst(errors: FormErrors, order: string[]) {
  const id = order.find((x) => errors.fields[x]);
  if (id) document.getElementById(id)?.focus();
}

/** Sửa thông tin khách hàng: name, phone, email and why; `onSaved` gets the customer's page as the API answers it. */
export function CustomerCorrection({
  customer,
  onSaved,
}: {
  customer: { id: string; name: string; phone: string | null; email: string | null };
  onSaved: (page: CustomerPageData) => void;
}) {
  const { t } = useI18n();
  return (
    <EditPanel id="customer-correction" label={t('correction.editCustomer')}>
      {(close) => (
        <CustomerCorrectionForm
          customer={customer}
          onCancel={() => close()}
          onSaved={(page) => {
            onSaved(page);
            close(t('correction.customerSaved'));
          }}
        />
      )}
    </EditPanel>
  );
}

const CUSTOMER_IDS = { name: 'correct-name', phone: 'correct-phone', email: 'correct-email', reason: 'correct-reason' };

function CustomerCorrectionForm({
  customer,
  onSaved,
  onCancel,
}: {
  customer: { id: string; name: string; phone: string | null; email: string | null };
  onSaved: (page: CustomerPageData) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(customer.name);
  const [phone, setPhone] = useState(customer.phone ? displayPhone(customer.phone) : '');
  const [email, setEmail] = useState(customer.email ?? '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState<string | null>(null);
  const [errors, setErrors] = useFormErrors();
  const order = Object.values(CUSTOMER_IDS);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setInfo(null);
    const patch: CustomerPatch = {};
    if (name.trim() !== customer.name) patch.name = name;
    if (phone.trim() !== (customer.phone ? displayPhone(customer.phone) : '')) patch.phone = phone.trim() || null;
    if (email.trim() !== (customer.email ?? '')) patch.email = email.trim() || null;
    const local: FormErrors = { fields: {}, general: [] };
    if (!name.trim()) local.fields[CUSTOMER_IDS.name] = t('correction.nameRequired');
    if (!phone.trim() && !email.trim()) local.fields[CUSTOMER_IDS.phone] = t('correction.contactRequired');
    if (hasErrors(local)) {
      setErrors(() => local);
      focusFirst(local, order);
      return;
    }
    setErrors(NO_ERRORS);
    if (!Object.keys(patch).length) {
      setInfo(t('correction.nothingChanged'));
      return;
    }
    if (reason.trim()) patch.reason = reason.trim();
    setBusy(true);
    try {
      onSaved(await api.patch<CustomerPageData>(`/api/v1/customers/${encodeURIComponent(customer.id)}`, patch));
    } catch (err) {
      const worded = (tr: typeof t) => formErrorsFrom(err, tr, CUSTOMER_IDS);
      setErrors(worded);
      focusFirst(worded(t), order);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="customer-correction-title" data-testid="customer-correction-form">
      <h3 id="customer-correction-title" className="small-heading">
        {t('correction.customerTitle')}
      </h3>
      <p className="field-hint">{t('correction.customerHint')}</p>
      <TextField
        id={CUSTOMER_IDS.name}
        label={t('field.name')}
        required
        maxLength={200}
        autoComplete="off"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.fields[CUSTOMER_IDS.name]}
        data-testid="correct-name"
      />
      <TextField
        id={CUSTOMER_IDS.phone}
        label={t('field.phone')}
        type="tel"
        inputMode="tel"
        maxLength={40}
        autoComplete="off"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        error={errors.fields[CUSTOMER_IDS.phone]}
        data-testid="correct-phone"
      />
      <TextField
        id={CUSTOMER_IDS.email}
        label={t('field.email')}
        type="email"
        maxLength={254}
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.fields[CUSTOMER_IDS.email]}
        data-testid="correct-email"
      />
      <TextArea
        id={CUSTOMER_IDS.reason}
        label={t('correction.reason')}
        hint={t('correction.reasonHint')}
        optional
        rows={2}
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errors.fields[CUSTOMER_IDS.reason]}
        data-testid="correct-reason"
      />
      <GeneralErrors errors={errors} />
      {info ? <Notice kind="info">{info}</Notice> : null}
      <FormButtons busy={busy} onCancel={onCancel} testId="customer-correction" />
    </form>
  );
}

function FormButtons({ busy, onCancel, testId }: { busy: boolean; onCancel: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="actions-row">
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid={`${testId}-submit`}>
        {busy ? t('common.saving') : t('correction.save')}
      </button>
      <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={busy} data-testid={`${testId}-cancel`}>
        {t('correction.cancel')}
      </button>
    </div>
  );
}

/** Sửa nội dung khiếu nại: subject, description, order number; `onSaved` gets the complaint as the API answers it. */
export function ComplaintCorrection({ detail, onSaved }: { detail: ComplaintDetail; onSaved: (next: ComplaintDetail) => void }) {
  const { t } = useI18n();
  return (
    <EditPanel id="complaint-correction" label={t('correction.editComplaint')}>
      {(close) => (
        <ComplaintCorrectionForm
          detail={detail}
          onCancel={() => close()}
          onSaved={(next) => {
            onSaved(next);
            close(t('correction.complaintSaved'));
          }}
        />
      )}
    </EditPanel>
  );
}

const COMPLAINT_IDS = { subject: 'correct-subject', description: 'correct-description', orderRef: 'correct-order-ref' };

function ComplaintCorrectionForm({ detail, onSaved, onCancel }: { detail: ComplaintDetail; onSaved: (next: ComplaintDetail) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [subject, setSubject] = useState(detail.subject);
  const [description, setDescription] = useState(detail.description);
  const [orderRef, setOrderRef] = useState(detail.orderRef ?? '');
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState<string | null>(null);
  const [errors, setErrors] = useFormErrors();
  const order = Object.values(COMPLAINT_IDS);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setInfo(null);
    const local: FormErrors = { fields: {}, general: [] };
    if (!subject.trim()) local.fields[COMPLAINT_IDS.subject] = t('correction.subjectRequired');
    if (!description.trim()) local.fields[COMPLAINT_IDS.description] = t('correction.descriptionRequired');
    if (hasErrors(local)) {
      setErrors(() => local);
      focusFirst(local, order);
      return;
    }
    setErrors(NO_ERRORS);
    const patch: ComplaintPatch = {};
    if (subject.trim() !== detail.subject) patch.subject = subject;
    if (description.trim() !== detail.description) patch.description = description;
    if (orderRef.trim() !== (detail.orderRef ?? '')) patch.orderRef = orderRef.trim() || null;
    if (!Object.keys(patch).length) {
      setInfo(t('correction.nothingChanged'));
      return;
    }
    setBusy(true);
    try {
      onSaved(await api.patch<ComplaintDetail>(`/api/v1/complaints/${encodeURIComponent(detail.code)}`, patch));
    } catch (err) {
      const worded = (tr: typeof t) => formErrorsFrom(err, tr, COMPLAINT_IDS);
      setErrors(worded);
      focusFirst(worded(t), order);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="complaint-correction-title" data-testid="complaint-correction-form">
      <h3 id="complaint-correction-title" className="small-heading">
        {t('correction.complaintTitle')}
      </h3>
      <p className="field-hint">{t('correction.complaintHint')}</p>
      <TextField
        id={COMPLAINT_IDS.subject}
        label={t('field.subject')}
        required
        maxLength={300}
        value={subject}
        onChange={(e) => setSubject(e.target.value)}
        error={errors.fields[COMPLAINT_IDS.subject]}
        data-testid="correct-subject"
      />
      <TextArea
        id={COMPLAINT_IDS.description}
        label={t('field.description')}
        required
        rows={5}
        maxLength={20000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.fields[COMPLAINT_IDS.description]}
        data-testid="correct-description"
      />
      <TextField
        id={COMPLAINT_IDS.orderRef}
        label={t('field.orderRef')}
        optional
        maxLength={100}
        value={orderRef}
        onChange={(e) => setOrderRef(e.target.value)}
        error={errors.fields[COMPLAINT_IDS.orderRef]}
        data-testid="correct-order-ref"
      />
      <GeneralErrors errors={errors} />
      {info ? <Notice kind="info">{info}</Notice> : null}
      <FormButtons busy={busy} onCancel={onCancel} testId="complaint-correction" />
    </form>
  );
}

const FIELD_KEYS: Record<string, MessageKey> = {
  name: 'correction.field.name',
  phone: 'correction.field.phone',
  email: 'correction.field.email',
  subject: 'correction.field.subject',
  description: 'correction.field.description',
  orderRef: 'correction.field.orderRef',
};

/** A correction in the timeline, in words: each field's old and new value, and why. */
export function CorrectionPayload({ payload }: { payload: Record<string, unknown> }) {
  const { t } = useI18n();
  const changes = payload.changes && typeof payload.changes === 'object' ? (payload.changes as Record<string, unknown>) : {};
  const mail = payload.mail && typeof payload.mail === 'object' ? (payload.mail as Record<string, unknown>) : null;
  const shown = (field: string, v: unknown) => {
    if (typeof v !== 'string' || !v) return t('correction.empty');
    return field === 'phone' ? displayPhone(v) : v;
  };
  return (
    <>
      <ul className="timeline-list timeline-correction" data-testid="timeline-correction">
        {Object.entries(changes).map(([field, raw]) => {
          const c = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
          return (
            <li key={field} data-field={field} className="timeline-change">
              {t('correction.change', { field: FIELD_KEYS[field] ? t(FIELD_KEYS[field]) : field, old: shown(field, c.old), new: shown(field, c.new) })}
            </li>
          );
        })}
      </ul>
      {typeof payload.reason === 'string' && payload.reason ? <p className="timeline-reason">{t('timeline.reason', { reason: payload.reason })}</p> : null}
      {mail && typeof mail.redirected === 'number' ? (
        <p className="timeline-change" data-testid="timeline-correction-mail">{t('correction.mailRedirected', { count: String(mail.redirected) })}</p>
      ) : mail && typeof mail.stopped === 'number' ? (
        <p className="timeline-change" data-testid="timeline-correction-mail">{t('correction.mailStopped', { count: String(mail.stopped) })}</p>
      ) : null}
    </>
  );
}
