import { useI18n, type I18n } from '../i18n';
import { MAIL_ATTACHMENT_LIMITS, type Attachment } from '../types';
import { fileKind, formatBytes } from './files';

// Trả lời kèm tệp: the complaint's files an agent sends with a reply (the refund slip, the supplier's answer). The browser
// says when the pick is past what a mail may carry, with the server's own limits; the server checks again and is the judge.

/** Each of the complaint's files once (the same bytes stored twice are one file to send), in the order they came. */
export function sendableFiles(attachments: readonly Attachment[]): Attachment[] {
  const bySha = new Map<string, Attachment>();
  for (const a of attachments) if (!bySha.has(a.sha256)) bySha.set(a.sha256, a);
  return [...bySha.values()];
}

/** Why the picked files cannot go with a mail (too many, too large), or null. */
export function replyFilesProblem(files: readonly Attachment[], picked: readonly string[], t: I18n['t']): string | null {
  if (picked.length > MAIL_ATTACHMENT_LIMITS.maxFiles) return t('replyFiles.tooMany');
  const total = files.filter((f) => picked.includes(f.sha256)).reduce((sum, f) => sum + f.size, 0);
  return total > MAIL_ATTACHMENT_LIMITS.maxTotalBytes ? t('replyFiles.tooLarge') : null;
}

/** The complaint's files as checkboxes under the reply; nothing when it has none. */
export function ReplyFilePicker({
  attachments,
  picked,
  onChange,
  error,
}: {
  attachments: readonly Attachment[];
  picked: readonly string[];
  onChange: (picked: string[]) => void;
  error?: string;
}) {
  const { t, lang } = useI18n();
  const files = sendableFiles(attachments);
  if (!files.length) return null;
  const total = files.filter((f) => picked.includes(f.sha256)).reduce((sum, f) => sum + f.size, 0);
  const problem = error ?? replyFilesProblem(files, picked, t);
  return (
    <fieldset
      className={problem ? 'checklist field-invalid' : 'checklist'}
      id="reply-files"
      tabIndex={-1}
      aria-describedby={['reply-files-hint', picked.length ? 'reply-files-picked' : null, problem ? 'reply-files-error' : null].filter(Boolean).join(' ')}
      data-testid="reply-files"
    >
      <legend>{t('replyFiles.legend')}</legend>
      <p className="field-hint" id="reply-files-hint">
        {t('replyFiles.hint')}
      </p>
      {files.map((f) => (
        <div className="check-option" key={f.sha256}>
          <input
            type="checkbox"
            id={`reply-file-${f.sha256}`}
            checked={picked.includes(f.sha256)}
            onChange={(e) => onChange(e.target.checked ? [...picked, f.sha256] : picked.filter((s) => s !== f.sha256))}
            data-testid="reply-file"
            data-name={f.filename}
          />
          <label htmlFor={`reply-file-${f.sha256}`}>
            {f.filename} <span className="muted">({fileKind(f.contentType, t)} · {formatBytes(f.size, lang)})</span>
          </label>
        </div>
      ))}
      {picked.length ? (
        <p className="field-hint" id="reply-files-picked" aria-live="polite" data-testid="reply-files-picked">
          {t('replyFiles.picked', { count: picked.length, size: formatBytes(total, lang) })}
        </p>
      ) : null}
      {problem ? (
        <p className="field-error" id="reply-files-error" role="alert" data-testid="error-reply-files">
          {problem}
        </p>
      ) : null}
    </fieldset>
  );
}
