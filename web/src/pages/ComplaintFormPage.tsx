import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { checkFiles, FilePicker, fileProblemSentences, fileProblemsFrom, filesForm, hasFileProblems } from '../components/files';
import { CheckboxField, ErrorSummary, ProvinceSelect, TextArea, TextField } from '../components/forms';
import { PortalLayout, useTitle } from '../components/layout';
import { VulnerableGroupSelect } from '../components/vulnerability';
import { useApiGet } from '../components/followup-common';
import { formErrorsFrom, hasErrors, NO_ERRORS, useFormErrors, type FormErrors } from '../errors';
import { newIdempotencyKey } from '../format';
import { useI18n, type I18n } from '../i18n';
import { navigate } from '../router';
import type { PortalComplaintCreated, PortalComplaintInput, VulnerableGroup } from '../types';

/** API field path → input id, so that server errors land beside the right input. */
const FIELD_IDS: Record<string, string> = {
  'customer.name': 'name',
  'customer.phone': 'phone',
  'customer.email': 'email',
  'customer.province': 'province',
  customer: 'phone',
  subject: 'subject',
  description: 'description',
  orderRef: 'orderRef',
  consent: 'consent',
  vulnerableGroup: 'vulnerable-group',
};

const EMPTY = { name: '', phone: '', email: '', province: '', subject: '', description: '', orderRef: '', website: '' };
type Values = typeof EMPTY;

/** How the files chosen on the form fared: the complaint is filed either way. */
export type UploadOutcome = { status: 'ok'; files: string[] } | { status: 'failed'; files: string[]; messages: string[] };

export interface ConfirmationState {
  kind: 'sen.confirmation';
  complaint: PortalComplaintCreated;
  contact: string;
  upload?: UploadOutcome;
}

/** Gửi khiếu nại — the public complaint form. */
export function ComplaintFormPage() {
  const { t, lang } = useI18n();
  useTitle(t('form.title'));
  const [values, setValues] = useState<Values>(EMPTY);
  const [consent, setConsent] = useState(false);
  // The promises as the SLA policy in force words them (an admin may have changed 48 hours / 20 days).
  const promises = useApiGet<{ acknowledgementWorkingHours: number; resolutionWorkingDays: number }>('/api/v1/portal/promises');
  // Art. 8: asked, never assumed; sent only when the customer picks a group.
  const [vulnerableGroup, setVulnerableGroup] = useState<VulnerableGroup | ''>('');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useFormErrors();
  const [submitting, setSubmitting] = useState<false | 'filing' | 'uploading'>(false);
  // When the form was shown: the server refuses a form sent within a few seconds (a robot, not a person).
  const shownAt = useRef(performance.now());
  // One key per form fill: a double click or a retry after a lost answer returns the same complaint.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);

  const set = (field: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));

  function validate(t: I18n['t']): FormErrors {
    const fields: Record<string, string> = {};
    if (!values.name.trim()) fields.name = t('validation.nameRequired');
    if (!values.phone.trim() && !values.email.trim()) fields.phone = t('validation.contactRequired');
    if (values.email.trim() && !/^[^\s@]+@[^\s@]+$/.test(values.email.trim())) fields.email = t('validation.emailInvalid');
    if (!values.subject.trim()) fields.subject = t('validation.subjectRequired');
    if (!values.description.trim()) fields.description = t('validation.descriptionRequired');
    if (hasFileProblems(checkFiles(files, t))) fields.attachments = t('files.fixBeforeSending');
    if (!consent) fields.consent = t('validation.consentRequired');
    return { fields, general: [] };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (hasErrors(validate(t))) {
      setErrors(validate);
      return;
    }
    const phone = values.phone.trim();
    const email = values.email.trim();
    const orderRef = values.orderRef.trim();
    const body: PortalComplaintInput = {
      customer: { name: values.name.trim(), ...(phone ? { phone } : {}), ...(email ? { email } : {}), ...(values.province ? { province: values.province } : {}) },
      subject: values.subject.trim(),
      description: values.description.trim(),
      ...(orderRef ? { orderRef } : {}),
      consent: true,
      ...(vulnerableGroup ? { vulnerableGroup } : {}),
      // The portal's language when the form is sent is the one the customer reads: Sen writes to them in it.
      language: lang,
      website: values.website,
      fillMs: Math.max(0, Math.round(performance.now() - shownAt.current)),
    };
    setSubmitting('filing');
    setErrors(NO_ERRORS);
    let complaint: PortalComplaintCreated;
    try {
      complaint = await api.post<PortalComplaintCreated>('/api/v1/portal/complaints', body, {
        headers: { 'Idempotency-Key': idempotencyKey },
      });
    } catch (err) {
      // A refused request created nothing, so the corrected form is a new attempt with a new key;
      // after a network failure or 5xx keep the key, since the complaint may already exist.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 409) {
        setIdempotencyKey(newIdempotencyKey());
      }
      setErrors((tr) => formErrorsFrom(err, tr, FIELD_IDS));
      setSubmitting(false);
      return;
    }
    const contact = phone || email;
    // The complaint is filed; the photos and documents follow. If they fail, the confirmation says so.
    let upload: UploadOutcome | undefined;
    if (files.length) {
      setSubmitting('uploading');
      const names = files.map((f) => f.name);
      try {
        await api.postForm(`/api/v1/portal/complaints/${encodeURIComponent(complaint.code)}/attachments`, filesForm(files, { contact }));
        upload = { status: 'ok', files: names };
      } catch (err) {
        upload = { status: 'failed', files: names, messages: fileProblemSentences(fileProblemsFrom(err, files, t), names, t) };
      }
    }
    const state: ConfirmationState = { kind: 'sen.confirmation', complaint, contact, ...(upload ? { upload } : {}) };
    navigate('/khieu-nai/da-gui', { state });
  }

  return (
    <PortalLayout>
      <div className="page-head">
        <h1>{t('form.title')}</h1>
        <p className="lead" data-testid="form-intro">
          {promises.state === 'done'
            ? t('form.intro', { hours: promises.value.acknowledgementWorkingHours, days: promises.value.resolutionWorkingDays })
            : t('form.introPlain')}
        </p>
      </div>
      <form className="card form" onSubmit={submit} noValidate data-testid="complaint-form">
        <ErrorSummary errors={errors} />
        <fieldset>
          <legend>{t('form.sectionContact')}</legend>
          <TextField
            id="name"
            maxLength={200}
            label={t('field.name')}
            required
            autoComplete="name"
            value={values.name}
            onChange={set('name')}
            error={errors.fields.name}
          />
          <p className="field-hint group-hint" id="contact-hint">
            {t('field.contactHint')}
          </p>
          <div className="grid-2">
            <TextField
              id="phone"
              maxLength={40}
              label={t('field.phone')}
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              extraDescription="contact-hint"
              value={values.phone}
              onChange={set('phone')}
              error={errors.fields.phone}
            />
            <TextField
              id="email"
              maxLength={254}
              label={t('field.email')}
              type="email"
              autoComplete="email"
              extraDescription="contact-hint"
              value={values.email}
              onChange={set('email')}
              error={errors.fields.email}
            />
          </div>
          <ProvinceSelect
            id="province"
            optional
            hint={t('form.provinceHint')}
            autoComplete="address-level1"
            value={values.province}
            onChange={set('province')}
            error={errors.fields.province}
            data-testid="province"
          />
          {/* About the customer, so beside their details: optional, never assumed. */}
          <VulnerableGroupSelect
            id="vulnerable-group"
            audience="customer"
            value={vulnerableGroup}
            onChange={setVulnerableGroup}
            error={errors.fields['vulnerable-group']}
            testId="vulnerable-group"
          />
          {/* A trap for robots: people never see this box (off-screen, hidden from screen readers, out of
              the tab order), so anything typed in it means the form was filled by a program. */}
          <div className="hp-field" aria-hidden="true" data-testid="honeypot">
            <label htmlFor="website">{t('form.honeypot')}</label>
            <input type="text" id="website" name="website" tabIndex={-1} autoComplete="off" value={values.website} onChange={set('website')} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('form.sectionComplaint')}</legend>
          <TextField
            id="subject"
            maxLength={300}
            label={t('field.subject')}
            hint={t('field.subjectHint')}
            required
            value={values.subject}
            onChange={set('subject')}
            error={errors.fields.subject}
          />
          <TextArea
            id="description"
            maxLength={20000}
            label={t('field.description')}
            hint={t('field.descriptionHint')}
            required
            rows={7}
            value={values.description}
            onChange={set('description')}
            error={errors.fields.description}
          />
          <TextField
            id="orderRef"
            maxLength={100}
            label={t('field.orderRef')}
            optional
            value={values.orderRef}
            onChange={set('orderRef')}
            error={errors.fields.orderRef}
          />
          <FilePicker
            id="attachments"
            label={t('form.attachments')}
            hint={t('form.attachmentsHint')}
            optional
            files={files}
            onChange={setFiles}
            disabled={submitting !== false}
            testId="portal-files"
          />
        </fieldset>
        <fieldset className="consent">
          <legend>{t('consent.title')}</legend>
          <CheckboxField
            id="consent"
            label={t('consent.text')}
            checked={consent}
            onChange={setConsent}
            error={errors.fields.consent}
            required
          />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={submitting !== false} data-testid="submit-complaint">
            {submitting === 'uploading' ? t('form.uploading') : submitting ? t('form.submitting') : t('form.submit')}
          </button>
        </div>
      </form>
    </PortalLayout>
  );
}
