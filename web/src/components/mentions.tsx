import { useState } from 'react';
import { useI18n } from '../i18n';
import type { UserListItem } from '../types';
import { MAX_NOTE_MENTIONS } from '../../../src/domain/vocabulary';

/** Whom a note may name: colleagues who work on complaints (not department members), not oneself. */
export function mentionable(users: UserListItem[], selfId: string | undefined): UserListItem[] {
  return users.filter((u) => u.role !== 'department' && u.id !== selfId);
}

/**
 * Nhắc đồng nghiệp — the colleagues an internal note will tell: chosen one at a time with a button (arrowing
 * through a closed select changes it), listed as chips, each with a button to take it out again.
 */
export function MentionPicker({
  id,
  users,
  value,
  onChange,
  error,
}: {
  id: string;
  users: UserListItem[];
  value: string[];
  onChange: (next: string[]) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const [chosenId, setChosenId] = useState('');
  const left = users.filter((u) => !value.includes(u.id));
  const full = value.length >= MAX_NOTE_MENTIONS;
  const nameOf = (userId: string) => users.find((u) => u.id === userId)?.name ?? userId;
  if (!users.length) return null;

  function add() {
    if (!chosenId || full) return;
    onChange([...value, chosenId]);
    setChosenId('');
    // The button is disabled now: the keyboard goes on from the select.
    document.getElementById(id)?.focus();
  }

  function remove(userId: string) {
    onChange(value.filter((x) => x !== userId));
    // Its button is gone: the focus goes back to the select rather than to the top of the page.
    document.getElementById(id)?.focus();
  }

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field" data-testid="mention-picker">
      <label htmlFor={id}>{t('mentions.label')}</label>
      <p className="field-hint" id={hintId}>
        {full ? t('mentions.full', { max: MAX_NOTE_MENTIONS }) : t('mentions.hint', { max: MAX_NOTE_MENTIONS })}
      </p>
      {error ? (
        <p className="field-error" id={errorId} data-testid={`error-${id}`}>
          {error}
        </p>
      ) : null}
      <div className="picker-row">
        <select
          id={id}
          value={chosenId}
          onChange={(e) => setChosenId(e.target.value)}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={error ? true : undefined}
          disabled={full}
          data-testid="mention-select"
        >
          <option value="">{t('mentions.choose')}</option>
          {left.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn" onClick={add} disabled={!chosenId || full} data-testid="mention-add">
          {t('mentions.add')}
        </button>
      </div>
      {value.length ? (
        <ul className="mention-list" aria-label={t('mentions.chosen')} data-testid="mention-list">
          {value.map((userId) => (
            <li key={userId} className="mention-chip" data-testid="mention-chip" data-id={userId}>
              <span>{nameOf(userId)}</span>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                aria-label={t('mentions.remove', { name: nameOf(userId) })}
                onClick={() => remove(userId)}
                data-testid="mention-remove"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
