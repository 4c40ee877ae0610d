import { dueLevel, formatDateTime } from '../format';
import { useI18n } from '../i18n';

/** A complaint status as a coloured pill with its translated label. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  const { label } = useI18n();
  return (
    <span className={`badge status status-${status}`} data-testid={testId} data-status={status}>
      {label('status', status)}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: string }) {
  const { label } = useI18n();
  return <span className={`priority priority-${priority}`}>{label('priority', priority)}</span>;
}

/** A deadline in Vietnam time, red when overdue and amber within 24 hours (with words, not colour alone). */
export function DueDate({ dueAt, status, testId }: { dueAt: string | null | undefined; status: string; testId?: string }) {
  const { t } = useI18n();
  const level = dueLevel(dueAt, status);
  return (
    <span className={`due due-${level}`} data-testid={testId} data-due-level={level}>
      {dueAt ? <time dateTime={dueAt}>{formatDateTime(dueAt)}</time> : '—'}
      {level === 'overdue' ? <span className="due-flag">{t('due.overdue')}</span> : null}
      {level === 'soon' ? <span className="due-flag">{t('due.soon')}</span> : null}
    </span>
  );
}

/** A date in dd/MM/yyyy HH:mm with the machine-readable instant kept in <time>. */
export function DateTime({ iso, testId }: { iso: string | null | undefined; testId?: string }) {
  if (!iso) return <span data-testid={testId}>—</span>;
  return (
    <time dateTime={iso} data-testid={testId}>
      {formatDateTime(iso)}
    </time>
  );
}
