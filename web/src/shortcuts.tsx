import { useEffect, useRef, useState } from 'react';

/*
 * Phím tắt — single-key shortcuts of the staff console, for agents who work the queue all day: j/k through the
 * queue, ] and [ from one complaint to the next, r/n to write, ? for the list. A key pressed while typing in a field,
 * or with Ctrl/Alt/⌘, is never a shortcut. Single-key shortcuts can be turned off on this browser (WCAG 2.1.4:
 * speech input and unsteady hands press letters they did not mean as commands) from the list itself or the
 * account page.
 */

const STORAGE_KEY = 'sen.shortcuts';
const listeners = new Set<(on: boolean) => void>();

/** Whether shortcuts are on in this browser (on unless turned off). */
export function shortcutsEnabled(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setShortcutsEnabled(on: boolean): void {
  try {
    if (on) window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, 'off');
  } catch {
    // Private mode may refuse storage; the choice then lasts for this page only.
  }
  for (const l of listeners) l(on);
}

/** The switch as state, kept in step across the page's components. */
export function useShortcutsEnabled(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(shortcutsEnabled);
  useEffect(() => {
    listeners.add(setOn);
    return () => {
      listeners.delete(setOn);
    };
  }, []);
  return [on, setShortcutsEnabled];
}

/** A key press meant for what has the focus: a field being typed in, a list, or one with a modifier. */
function meantForField(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return true;
  const el = e.target instanceof HTMLElement ? e.target : null;
  // A dialog open, the shortcuts' own list too, keeps every key: nothing acts behind it (Esc and its buttons still work).
  if (document.querySelector('dialog[open]')) return true;
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

/**
 * While the calling component is mounted (and `active`), runs the handler of each key pressed, as `KeyboardEvent.key`
 * names it ("j", "]", "?"), unless it is meant for a field or shortcuts are off. The latest handlers are used.
 */
export function useShortcuts(keys: Record<string, () => void>, active = true): void {
  const latest = useRef(keys);
  latest.current = keys;
  const [on] = useShortcutsEnabled();
  useEffect(() => {
    if (!active || !on) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || meantForField(e)) return;
      const run = latest.current[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active, on]);
}

/** Puts the focus on an element by id and shows it; false when there is none (a section not shown to this role). */
export function focusById(id: string): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  el.focus();
  el.scrollIntoView({ block: 'center' });
  return true;
}
