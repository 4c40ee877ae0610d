import { useState } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { useShortcuts, useShortcutsEnabled } from '../shortcuts';
import { useModalDialog } from './dialog';

/** Every shortcut of the console, by page: the keys and what they do (one list for the dialog and the account page). */
const SHORTCUTS: { group: MessageKey; items: { keys: string[]; what: MessageKey }[] }[] = [
  {
    group: 'shortcuts.group.queue',
    items: [
      { keys: ['j', 'k'], what: 'shortcuts.queue.move' },
      { keys: ['Enter'], what: 'shortcuts.queue.open' },
      { keys: ['x'], what: 'shortcuts.queue.select' },
      { keys: ['/'], what: 'shortcuts.queue.search' },
    ],
  },
  {
    group: 'shortcuts.group.complaint',
    items: [
      { keys: [']', '['], what: 'shortcuts.complaint.neighbours' },
      { keys: ['r'], what: 'shortcuts.complaint.reply' },
      { keys: ['n'], what: 'shortcuts.complaint.note' },
      { keys: ['u'], what: 'shortcuts.complaint.back' },
    ],
  },
  { group: 'shortcuts.group.everywhere', items: [{ keys: ['?'], what: 'shortcuts.help' }] },
];

/** The shortcuts as a list, and the switch that turns them off on this browser. */
export function ShortcutsList() {
  const { t } = useI18n();
  const [on, setOn] = useShortcutsEnabled();
  return (
    <>
      {SHORTCUTS.map((g) => (
        <div key={g.group} className="shortcut-group">
          <h3 className="small-heading">{t(g.group)}</h3>
          <dl className="shortcut-list">
            {g.items.map((s) => (
              <div key={s.what} className="shortcut">
                <dt>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i ? ' ' : ''}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </dt>
                <dd>{t(s.what)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
      <label className="check-option shortcut-switch">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} data-testid="shortcuts-enabled" />
        <span>{t('shortcuts.enabled')}</span>
      </label>
      <p className="muted">{t('shortcuts.enabledHint')}</p>
    </>
  );
}

/** "?" anywhere in the console: the list of shortcuts in a dialog (Esc or the button closes it). */
export function ShortcutsHelp() {
  const [open, setOpen] = useState(false);
  useShortcuts({ '?': () => setOpen(true) }, !open);
  return open ? <ShortcutsDialog onClose={() => setOpen(false)} /> : null;
}

function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { ref, cancelRef } = useModalDialog();
  return (
    <dialog
      ref={ref}
      className="sa-dialog shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      data-shortcuts-help
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      data-testid="shortcuts-dialog"
    >
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <ShortcutsList />
      <div className="actions-row sa-dialog-actions">
        <button ref={cancelRef} type="button" className="btn btn-primary" onClick={onClose} data-testid="shortcuts-close">
          {t('shortcuts.close')}
        </button>
      </div>
    </dialog>
  );
}
