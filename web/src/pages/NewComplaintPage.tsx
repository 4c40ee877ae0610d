import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { DueDate, StatusBadge } from '../components/badges';
import {
  AttachmentList,
  AttachmentUploader,
  checkFiles,
  FilePicker,
  fileProblemSentences,
  fileProblemsFrom,
  filesForm,
  hasFileProblems,
  ReceiptButtons,
  type FileProblems,
} from '../components/files';
import { CheckboxField, ErrorSummary, Notice, ProvinceSelect, SelectField, TextArea, TextField, refill } from '../components/forms';
import { StaffLayout, useTitle } from '../components/layout';
import { VulnerableGroupSelect } from '../components/vulnerability';
import { LanguageSelect } from '../components/language';
import { formErrorsFrom, NO_ERRORS, type FormErrors } from '../errors';
import { newIdempotencyKey } from '../format';
import { useI18n } from '../i18n';
import { Link, navigate } from '../router';
import {
  CHANNELS,
  PRIORITIES,
  type Category,
  type Channel,
  type ComplaintDetail,
  type CustomerLookup,
  type ListOf,
  type Priority,
  type Language,
  type StaffComplaintInput,
  type VulnerableGroup,
} from '../types';

const FIELD_IDS: Record<string, string> = {
  'customer.name': 'name',
  'customer.phone': 'phone',
  'customer.email': 'email',
  'customer.province': 'province',
  customer: 'phone',
  subject: 'subject',
  description: 'description',
  orderRef: 'orderRef',
  product: 'product',
  channel: 'channel',
  categoryId: 'category',
  priority: 'priority',
  consent: 'consent',
  vulnerableGroup: 'vulnerable-group',
  language: 'customer-language',
};

type LookupState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'failed' }
  | { state: 'done'; result: CustomerLookup };

/**
 * Khiếu nại mới — an agent records a call, a visit or a letter. `office` (the /staff/office route)
 * opens it on the office channel: a walk-in customer, with scanned documents and a printed receipt.
 */
export function NewComplaintPage({ office = false }: { office?: boolean }) {
  // "Next customer" starts a fresh form (fresh key, empty fields) without leaving the page.
  const [round, setRound] = useState(0);
  return (
    <StaffLayout>
      <NewComplaintForm key={round} office={office} onNext={() => setRound((r) => r + 1)} />
    </StaffLayout>
  );
}

/** What happened after an office complaint was created: its files, and whether they went up. */
interface OfficeDone {
  complaint: ComplaintDetail;
  files: File[];
  uploadProblems: FileProblems | null;
}

function NewComplaintForm({ office, onNext }: { office: boolean; onNext: () => void }) {
  const { t, lang } = useI18n();
  useTitle(office ? t('office.title') : t('new.title'));
  const [channel, setChannel] = useState<Channel>(office ? 'office' : 'hotline');
  const [files, setFiles] = useState<File[]>([]);
  const [done, setDone] = useState<OfficeDone | null>(null);
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [orderRef, setOrderRef] = useState('');
  const [product, setProduct] = useState('');
  const [province, setProvince] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [vulnerableGroup, setVulnerableGroup] = useState<VulnerableGroup | ''>('');
  // Vietnamese unless the customer asks otherwise (not the console's own language).
  const [language, setLanguage] = useState<Language>('vi');
  const [consent, setConsent] = useState(false);
  const [categories, setCategories] = useState<Category[]>([]);
  const [lookup, setLookup] = useState<LookupState>({ state: 'idle' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  // What the last lookup asked for and filled in, so a new lookup replaces only its own values.
  const lastQuery = useRef('');
  const prefilled = useRef({ name: '', email: '', phone: '', province: '' });

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<ListOf<Category>>('/api/v1/categories', { signal: controller.signal })
      .then((r) => setCategories(r.items.filter((c) => c.active)))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  async function findCustomer(by: 'phone' | 'email', raw: string) {
    const value = raw.trim();
    const key = `${by}:${value}`;
    if (!value || key === lastQuery.current) return;
    lastQuery.current = key;
    setLookup({ state: 'loading' });
    try {
      const result = await api.get<CustomerLookup>('/api/v1/customers/lookup', { query: { [by]: value } });
      // A later lookup (the agent corrected the contact) has the last word, whichever answers first.
      if (lastQuery.current !== key) return;
      setLookup({ state: 'done', result });
      // An unknown contact empties what the previous lookup filled in; the contact searched by stays.
      const c = result.customer;
      const found = { name: c?.name ?? '', email: c?.email ?? '', phone: c?.phone ?? '', province: c?.province ?? '' };
      const last = prefilled.current;
      // As the fields are now: the agent may have typed on while the lookup ran.
      setName((prev) => refill(prev, last.name, found.name));
      if (by === 'phone') setEmail((prev) => refill(prev, last.email, found.email));
      if (by === 'email') setPhone((prev) => refill(prev, last.phone, found.phone));
      setProvince((prev) => refill(prev, last.province, found.province));
      // The contact searched by is the agent's own input, never a filled-in value.
      prefilled.current = { ...found, email: by === 'phone' ? found.email : '', phone: by === 'email' ? found.phone : '' };
    } catch (err) {
      if (lastQuery.current !== key || (err instanceof ApiError && err.status === 401)) return;
      setLookup({ state: 'failed' });
    }
  }

  function validate(): FormErrors {
    const fields: Record<string, string> = {};
    if (!name.trim()) fields.name = t('validation.nameRequired');
    if (!phone.trim() && !email.trim()) fields.phone = t('validation.contactRequired');
    if (email.trim() && !/^[^\s@]+@[^\s@]+$/.test(email.trim())) fields.email = t('validation.emailInvalid');
    if (!subject.trim()) fields.subject = t('validation.subjectRequired');
    if (!description.trim()) fields.description = t('validation.descriptionRequired');
    if (channel === 'office' && hasFileProblems(checkFiles(files, t))) fields['office-files'] = t('files.fixBeforeSending');
    return { fields, general: [] };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const found = validate();
    if (Object.keys(found.fields).length) {
      setErrors(found);
      return;
    }
    const body: StaffComplaintInput = {
      customer: {
        name: name.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(province ? { province } : {}),
      },
      subject: subject.trim(),
      description: description.trim(),
      ...(orderRef.trim() ? { orderRef: orderRef.trim() } : {}),
      ...(product.trim() ? { product: product.trim() } : {}),
      channel,
      ...(categoryId ? { categoryId } : {}),
      priority,
      ...(vulnerableGroup ? { vulnerableGroup } : {}),
      language,
      consent,
    };
    setSubmitting(true);
    setErrors(NO_ERRORS);
    try {
      const created = await api.post<ComplaintDetail>('/api/v1/complaints', body, {
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      if (channel !== 'office') {
        navigate(`/staff/complaints/${encodeURIComponent(created.code)}`);
        return;
      }
      // The complaint exists now; the scans go up next. A refused upload leaves it filed, with the files to retry.
      let complaint = created;
      let uploadProblems: FileProblems | null = null;
      if (files.length) {
        try {
          complaint = await api.postForm<ComplaintDetail>(`/api/v1/complaints/${encodeURIComponent(created.code)}/attachments`, filesForm(files));
        } catch (err) {
          uploadProblems = fileProblemsFrom(err, files, t);
        }
      }
      setDone({ complaint, files, uploadProblems });
      setSubmitting(false);
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 409) {
        setIdempotencyKey(newIdempotencyKey());
      }
      setErrors(formErrorsFrom(err, t, FIELD_IDS));
      setSubmitting(false);
    }
  }

  if (done) return <OfficeDonePanel done={done} onChange={setDone} onNext={onNext} />;

  return (
    <>
      <div className="page-head">
        <h1>{office ? t('office.title') : t('new.title')}</h1>
        <p className="lead">{office ? t('office.intro') : t('new.intro')}</p>
      </div>
      <form className="card form" onSubmit={submit} noValidate data-testid="new-complaint-form">
        <ErrorSummary errors={errors} />
        <div className="grid-2">
          <SelectField
            id="channel"
            label={t('field.channel')}
            value={channel}
            onChange={(e) => setChannel(e.target.value as Channel)}
            error={errors.fields.channel}
            data-testid="channel-select"
          >
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            id="phone"
            maxLength={40}
            label={t('new.callerPhone')}
            hint={t('new.callerPhoneHint')}
            type="tel"
            inputMode="tel"
            autoComplete="off"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            onBlur={() => void findCustomer('phone', phone)}
            error={errors.fields.phone}
            data-testid="caller-phone"
          />
        </div>

        <CustomerLookupResult lookup={lookup} />

        <div className="grid-2">
          <TextField
            id="name"
            maxLength={200}
            label={t('field.name')}
            required
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.fields.name}
          />
          <TextField
            id="email"
            maxLength={254}
            label={t('field.email')}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            onBlur={() => {
              // By email when there is no phone of the agent's own (one filled in by an email lookup is not).
              if (!phone.trim() || phone === prefilled.current.phone) void findCustomer('email', email);
            }}
            error={errors.fields.email}
          />
        </div>
        <ProvinceSelect
          id="province"
          optional
          value={province}
          onChange={(e) => setProvince(e.target.value)}
          error={errors.fields.province}
          data-testid="province"
        />
        <TextField
          id="subject"
          maxLength={300}
          label={t('field.subject')}
          required
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          error={errors.fields.subject}
        />
        <TextArea
          id="description"
          maxLength={20000}
          label={t('field.description')}
          required
          rows={6}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={errors.fields.description}
        />
        <div className="grid-3">
          <TextField
            id="orderRef"
            maxLength={100}
            label={t('field.orderRef')}
            optional
            value={orderRef}
            onChange={(e) => setOrderRef(e.target.value)}
            error={errors.fields.orderRef}
          />
          <TextField
            id="product"
            maxLength={200}
            label={t('field.product')}
            optional
            value={product}
            onChange={(e) => setProduct(e.target.value)}
            error={errors.fields.product}
          />
          <SelectField
            id="category"
            label={t('field.category')}
            value={categoryId}
            onChange={(e) => setCategoryId(e.target.value)}
            error={errors.fields.category}
            data-testid="category-select"
          >
            <option value="">{t('field.categoryNone')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {lang === 'en' && c.nameEn ? c.nameEn : c.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="priority"
            label={t('field.priority')}
            value={priority}
            onChange={(e) => setPriority(e.target.value as Priority)}
            error={errors.fields.priority}
            data-testid="priority-select"
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <VulnerableGroupSelect
          id="vulnerable-group"
          audience="staff"
          value={vulnerableGroup}
          onChange={setVulnerableGroup}
          error={errors.fields['vulnerable-group']}
          testId="vulnerable-group"
        />
        <LanguageSelect
          id="customer-language"
          value={language}
          onChange={setLanguage}
          error={errors.fields['customer-language']}
          testId="customer-language"
        />
        {channel === 'office' ? (
          <FilePicker
            id="office-files"
            label={t('office.files')}
            hint={t('office.filesHint')}
            optional
            files={files}
            onChange={setFiles}
            disabled={submitting}
            testId="office-files"
          />
        ) : null}
        <fieldset className="consent">
          <legend>{t('consent.title')}</legend>
          <p className="consent-script">{t('consent.text')}</p>
          <CheckboxField id="consent" label={t('new.consent')} checked={consent} onChange={setConsent} error={errors.fields.consent} />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={submitting} data-testid="submit-complaint">
            {submitting ? t('common.saving') : channel === 'office' && files.length ? t('office.submitWithFiles', { count: files.length }) : t('new.submit')}
          </button>
          <Link to="/staff" className="btn btn-ghost">
            {t('complaint.back')}
          </Link>
        </div>
      </form>
    </>
  );
}

function CustomerLookupResult({ lookup }: { lookup: LookupState }) {
  const { t } = useI18n();
  let content = null;
  if (lookup.state === 'loading') content = <p className="muted">{t('new.lookingUp')}</p>;
  if (lookup.state === 'failed') content = <p className="notice notice-error">{t('new.lookupFailed')}</p>;
  if (lookup.state === 'done') {
    const { customer, openComplaints } = lookup.result;
    content = customer ? (
      <div className="lookup-box" data-testid="customer-found">
        <p>
          <strong>{t('new.customerFound', { name: customer.name })}</strong>
        </p>
        {openComplaints.length ? (
          <>
            <h2 className="small-heading">{t('new.openComplaints')}</h2>
            <ul className="open-list" data-testid="open-complaints">
              {openComplaints.map((c) => (
                <li key={c.id} data-testid="open-complaint">
                  <Link to={`/staff/complaints/${encodeURIComponent(c.code)}`}>{c.code}</Link>
                  <span className="open-subject">{c.subject}</span>
                  <StatusBadge status={c.status} />
                  <DueDate dueAt={c.dueAt} status={c.status} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    ) : (
      <p className="muted" data-testid="customer-new">
        {t('new.customerNew')}
      </p>
    );
  }
  // A live region so the agent on the phone hears/sees the result without moving focus.
  return (
    <div aria-live="polite" className="lookup-region">
      {content}
    </div>
  );
}

/** After an office complaint: its code, its files, the printable receipt, and the next customer. */
function OfficeDonePanel({ done, onChange, onNext }: { done: OfficeDone; onChange: (next: OfficeDone) => void; onNext: () => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const { complaint, files, uploadProblems } = done;
  const code = complaint.code;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <section className="card office-done" aria-labelledby="office-done-title" data-testid="office-done" data-code={code}>
      <h1 id="office-done-title" tabIndex={-1} ref={heading}>
        {t('office.doneTitle', { code })}
      </h1>
      <Notice kind="success" testId="office-created">
        {t('office.created', { code })}
      </Notice>
      {uploadProblems ? (
        <>
          <Notice kind="error" testId="office-upload-error">
            <p>{t('office.uploadFailed')}</p>
            <ul>
              {fileProblemSentences(uploadProblems, files.map((f) => f.name), t).map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </Notice>
          <AttachmentUploader<ComplaintDetail>
            id="office-retry-files"
            path={`/api/v1/complaints/${encodeURIComponent(code)}/attachments`}
            initialFiles={files}
            onUploaded={(next) => onChange({ complaint: next, files: [], uploadProblems: null })}
            testId="office-retry"
          />
        </>
      ) : null}
      <h2>{t('attachments.title')}</h2>
      <AttachmentList attachments={complaint.attachments ?? []} />
      <h2>{t('receipt.print')}</h2>
      <p className="field-hint">{t('receipt.hint')}</p>
      <ReceiptButtons code={code} />
      <div className="actions-row office-next">
        <Link to={`/staff/complaints/${encodeURIComponent(code)}`} className="btn btn-primary" data-testid="office-open-complaint">
          {t('office.openComplaint', { code })}
        </Link>
        <button type="button" className="btn btn-secondary" onClick={onNext} data-testid="office-next">
          {t('office.next')}
        </button>
      </div>
    </section>
  );
}

