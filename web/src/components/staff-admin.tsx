import type { ReactNode } from 'react';
import { useModalDialog } from './dialog';
import '../staff-admin.css';

/**
 * A modal "are you sure?" before an action that is hard to take back (deactivating an account, revoking a
 * token): the rest of the page is inert while it is open, Escape or the cancel button (focused first) closes
 * it, and the focus goes back to the button that opened it.
 */
export function ConfirmDialog({
  id,
  title,
  children,
  confirmLabel,
  cancelLabel,
  busy,
  danger = true,
  onConfirm,
  onCancel,
}: {
  id: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { ref, cancelRef } = useModalDialog();
  return (
    <dialog
      ref={ref}
      className={danger ? 'sa-dialog sa-dialog-danger' : 'sa-dialog'}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
      data-testid="confirm-dialog"
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-text`}>{children}</p>
      <div className="actions-row sa-dialog-actions">
        <button ref={cancelRef} type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy} data-testid="confirm-dialog-cancel">
          {cancelLabel}
        </button>
        <button
          type="button"
          className={danger ? 'btn btn-danger' : 'btn btn-primary'}
          onClick={onConfirm}
          disabled={busy}
          aria-busy={busy}
          data-testid="confirm-dialog-confirm"
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
