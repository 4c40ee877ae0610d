import { useRef, useState, type ChangeEvent, type DragEvent, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { describeError } from '../errors';
import { useI18n, type I18n } from '../i18n';
import { UPLOAD_LIMITS, type Attachment } from '../types';
import { DateTime } from './badges';
import { Notice } from './forms';

// Evidence files: the picker (scans at the office, photos from the customer), the list of a
// complaint's files and the printable receipt. The browser checks count and size first, with the
// server's own limits; the server checks again, by content, and is the judge.

/** What the file dialog offers: photos and scans (JPG, PNG, WebP, HEIC) and PDF. */
export const FILE_ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,.pdf';

const MAX_MB = Math.round(UPLOAD_LIMITS.maxFileBytes / (1024 * 1024));

/** 1,2 MB / 1.2 MB. */
export function formatBytes(bytes: number, lang: I18n['lang']): string {
  const number = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${number.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${number.format(bytes / 1024)} KB`;
  return `${number.format(bytes / (1024 * 1024))} MB`;
}

/** Problems of a set of chosen files: a message per file index, and ones about the set. */
export interface FileProblems {
  byIndex: Record<number, string>;
  general: string[];
}

export const NO_FILE_PROBLEMS: FileProblems = { byIndex: {}, general: [] };

export function hasFileProblems(p: FileProblems): boolean {
  return p.general.length > 0 || Object.keys(p.byIndex).length > 0;
}

/** The browser's pre-check, with the server's limits: at most 10 files, none empty, none over 10 MB. */
export function checkFiles(files: readonly File[], t: I18n['t']): FileProblems {
  const byIndex: Record<number, string> = {};
  files.forEach((f, i) => {
    if (f.size === 0) byIndex[i] = t('files.empty');
    else if (f.size > UPLOAD_LIMITS.maxFileBytes) byIndex[i] = t('files.tooLarge', { max: MAX_MB });
  });
  const general = files.length > UPLOAD_LIMITS.maxFiles ? [t('files.tooMany', { max: UPLOAD_LIMITS.maxFiles })] : [];
  return { byIndex, general };
}

/** The server's refusal of an upload (`files[2]` file_type_not_allowed …) placed on the files it names. */
export function fileProblemsFrom(err: unknown, files: readonly File[], t: I18n['t']): FileProblems {
  if (!(err instanceof ApiError) || err.fields.length === 0) return { byIndex: {}, general: [describeError(err, t)] };
  const byIndex: Record<number, string> = {};
  const general: string[] = [];
  for (const f of err.fields) {
    const message = f.message || err.message || t('error.generic');
    const m = /^files\[(\d+)\]$/.exec(f.field);
    const index = m ? Number(m[1]) : -1;
    if (index >= 0 && index < files.length && f.code !== 'too_many_files') {
      if (!byIndex[index]) byIndex[index] = message;
    } else if (!general.includes(message)) {
      general.push(message);
    }
  }
  return { byIndex, general };
}

/** Both lists as sentences naming the file, for a summary or a page without the picker. */
export function fileProblemSentences(p: FileProblems, names: readonly string[], t: I18n['t']): string[] {
  return [
    ...p.general,
    ...Object.entries(p.byIndex).map(([i, message]) => t('files.errorFor', { name: names[Number(i)] ?? '?', message })),
  ];
}

/** The multipart body: text fields first, then every file under "files". */
export function filesForm(files: readonly File[], fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('files', f, f.name);
  return form;
}

interface FilePickerProps {
  id: string;
  label: string;
  hint?: string;
  files: File[];
  onChange: (files: File[]) => void;
  /** Server errors for the current files (cleared by the owner when the files change). */
  serverProblems?: FileProblems;
  disabled?: boolean;
  /** Marked "(optional)" beside the label. */
  optional?: boolean;
  testId?: string;
}

/** Choose several files, see each with its size, remove one; problems show beside the file at fault. */
export function FilePicker({ id, label, hint, files, onChange, serverProblems, disabled, optional, testId = 'file-picker' }: FilePickerProps) {
  const { t, lang } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const local = checkFiles(files, t);
  const problems: FileProblems = {
    byIndex: { ...(serverProblems?.byIndex ?? {}), ...local.byIndex },
    general: [...local.general, ...(serverProblems?.general ?? [])],
  };
  const invalid = hasFileProblems(problems);

  function addFiles(picked: File[]) {
    // The same file chosen twice is kept once.
    const key = (f: File) => `${f.name}|${f.size}|${f.lastModified}`;
    const known = new Set(files.map(key));
    onChange([...files, ...picked.filter((f) => !known.has(key(f)))]);
  }

  function add(event: ChangeEvent<HTMLInputElement>) {
    addFiles(Array.from(event.target.files ?? []));
    // Clear the input so that choosing the same file again after removing it still fires a change.
    event.target.value = '';
  }

  // Files dropped on the box are chosen too (the browser would otherwise open them in place of the form).
  const [dragging, setDragging] = useState(false);
  function over(event: DragEvent<HTMLDivElement>) {
    if (disabled || !Array.from(event.dataTransfer.types).includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  }
  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    if (!disabled) addFiles(Array.from(event.dataTransfer.files));
  }

  function remove(index: number) {
    onChange(files.filter((_, i) => i !== index));
    input.current?.focus();
  }

  const hintText = hint ?? t('files.hint', { max: UPLOAD_LIMITS.maxFiles, mb: MAX_MB });
  const errorId = `${id}-error`;
  return (
    <div className={invalid ? 'field file-field field-invalid' : 'field file-field'} data-testid={testId}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="field-optional"> {t('common.optional')}</span> : null}
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        {hintText}
      </p>
      {/* The browser's own file button speaks the browser's language ("Choose Files / No file chosen"): it is
          hidden from sight (still focusable and labelled), and a button in the page's language stands for it. */}
      <div className={dragging ? 'file-drop file-drop-over' : 'file-drop'} onDragOver={over} onDragLeave={() => setDragging(false)} onDrop={drop} data-testid={`${testId}-drop`}>
        <input
          ref={input}
          type="file"
          id={id}
          name={id}
          // Out of sight (visually-hidden) but focusable and labelled: reached by Tab, opened with Space or Enter.
          className="visually-hidden file-input"
          multiple
          accept={FILE_ACCEPT}
          onChange={add}
          disabled={disabled}
          aria-describedby={[`${id}-hint`, `${id}-status`, invalid ? errorId : null].filter(Boolean).join(' ')}
          aria-invalid={invalid || undefined}
          data-testid={`${testId}-input`}
        />
        <label htmlFor={id} className="btn btn-secondary btn-small file-choose" aria-hidden="true" data-testid={`${testId}-choose`}>
          {files.length ? t('files.chooseMore') : t('files.choose')}
        </label>
        <p className="file-count muted" id={`${id}-status`} role="status" data-testid={`${testId}-count`}>
          {files.length ? t('files.chosen', { count: files.length }) : t('files.none')}
        </p>
      </div>
      {files.length ? (
        <ul className="file-list" data-testid={`${testId}-list`}>
          {files.map((f, i) => (
            <li key={`${f.name}|${f.size}|${f.lastModified}`} className={problems.byIndex[i] ? 'file-item file-item-invalid' : 'file-item'} data-testid="chosen-file" data-name={f.name}>
              <span className="file-name">{f.name}</span>
              <span className="file-size muted">{formatBytes(f.size, lang)}</span>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                onClick={() => remove(i)}
                disabled={disabled}
                aria-label={t('files.removeLabel', { name: f.name })}
                data-testid="remove-file"
              >
                {t('files.remove')}
              </button>
              {problems.byIndex[i] ? (
                <p className="field-error file-error" data-testid="file-error">
                  {problems.byIndex[i]}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {invalid ? (
        <div id={errorId} data-testid={`error-${id}`}>
          {problems.general.map((m) => (
            <p key={m} className="field-error">
              {m}
            </p>
          ))}
          {Object.keys(problems.byIndex).length && !problems.general.length ? (
            <p className="field-error">{t('files.fixMarked')}</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * A picker with its own "upload" button, for files added later (the complaint page, the customer's
 * status page, the office form's retry). `path` answers with the updated complaint, passed on.
 */
export function AttachmentUploader<T>({
  id,
  path,
  fields,
  onUploaded,
  initialFiles,
  label,
  testId = 'uploader',
}: {
  id: string;
  path: string;
  fields?: Record<string, string>;
  onUploaded: (result: T) => void;
  initialFiles?: File[];
  label?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [files, setFiles] = useState<File[]>(initialFiles ?? []);
  const [serverProblems, setServerProblems] = useState<FileProblems>(NO_FILE_PROBLEMS);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const [empty, setEmpty] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setDone(null);
    if (!files.length) {
      setEmpty(true);
      document.getElementById(id)?.focus();
      return;
    }
    if (hasFileProblems(checkFiles(files, t))) {
      document.getElementById(id)?.focus();
      return;
    }
    setBusy(true);
    setServerProblems(NO_FILE_PROBLEMS);
    try {
      const result = await api.postForm<T>(path, filesForm(files, fields));
      setDone(files.length);
      setFiles([]);
      onUploaded(result);
    } catch (err) {
      setServerProblems(fileProblemsFrom(err, files, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="uploader" data-testid={testId}>
      <FilePicker
        id={id}
        label={label ?? t('files.label')}
        files={files}
        onChange={(next) => {
          setFiles(next);
          setServerProblems(NO_FILE_PROBLEMS);
          setEmpty(false);
          setDone(null);
        }}
        serverProblems={empty ? { byIndex: {}, general: [t('files.chooseFirst')] } : serverProblems}
        disabled={busy}
        testId={`${testId}-picker`}
      />
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid={`${testId}-submit`}>
        {busy ? t('files.uploading') : t('files.upload')}
      </button>
      <div aria-live="polite">
        {done !== null ? (
          <Notice kind="success" testId={`${testId}-done`}>
            {t('files.uploaded', { count: done })}
          </Notice>
        ) : null}
      </div>
    </form>
  );
}

/** A complaint's files for staff, each a download link. */
export function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  const { t, lang } = useI18n();
  if (!attachments.length) {
    return (
      <p className="muted" data-testid="attachments-empty">
        {t('attachments.none')}
      </p>
    );
  }
  return (
    <ul className="file-list attachment-list" data-testid="attachment-list">
      {attachments.map((a) => (
        <li key={a.sha256} className="file-item" data-testid="attachment" data-name={a.filename} data-type={a.contentType}>
          <a href={a.url} download={a.filename} className="file-name" data-testid="attachment-link">
            {a.filename}
          </a>
          <span className="file-size muted">
            {fileKind(a.contentType, t)} · {formatBytes(a.size, lang)} · <DateTime iso={a.addedAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** "PDF", "Ảnh PNG". */
export function fileKind(contentType: string, t: I18n['t']): string {
  if (contentType === 'application/pdf') return 'PDF';
  if (contentType.startsWith('image/')) return t('files.image', { format: contentType.slice(6).toUpperCase() });
  return contentType;
}

/** In phiếu tiếp nhận — the printable receipt, A4 or A5, in a new tab (print from the PDF viewer). */
export function ReceiptButtons({ code }: { code: string }) {
  const { t } = useI18n();
  const href = (size: 'A4' | 'A5') => `/api/v1/complaints/${encodeURIComponent(code)}/receipt.pdf?size=${size}`;
  return (
    <div className="receipt-buttons" role="group" aria-label={t('receipt.print')} data-testid="receipt-buttons">
      {(['A4', 'A5'] as const).map((size) => (
        <a
          key={size}
          href={href(size)}
          target="_blank"
          rel="noopener"
          className="btn btn-secondary"
          data-testid={`receipt-${size.toLowerCase()}`}
        >
          <PrinterIcon /> {t('receipt.printSize', { size })}
          <span className="visually-hidden"> {t('common.newTab')}</span>
        </a>
      ))}
    </div>
  );
}

function PrinterIcon() {
  return (
    <svg className="btn-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M7 3h10v4H7V3zm-2 5h14a3 3 0 0 1 3 3v5h-4v4H6v-4H2v-5a3 3 0 0 1 3-3zm3 7v3h8v-3H8zm10-5.5a1 1 0 1 0 0 2 1 1 0 0 0 0-2z"
      />
    </svg>
  );
}
