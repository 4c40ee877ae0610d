import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { vi, type MessageKey } from './vi';

export type { MessageKey } from './vi';
export type Lang = 'vi' | 'en';

const catalogues: Record<Lang, Record<MessageKey, string>> = { vi, en };
const STORAGE_KEY = 'sen.lang';

/** The language chosen earlier on this browser, Vietnamese by default. */
export function storedLang(): Lang {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

/** `vi` or `en` from a `lang` query parameter (a status-page link in a mail written in English), else null. */
function langFromUrl(): Lang | null {
  try {
    const asked = new URLSearchParams(window.location.search).get('lang');
    return asked === 'vi' || asked === 'en' ? asked : null;
  } catch {
    return null;
  }
}

/**
 * Takes `lang` out of the address bar once applied: a reload, or a link copied from it, then keeps the language the
 * customer switched to since, instead of putting them back in the mail's.
 */
function dropLangFromUrl(): void {
  try {
    const url = new URL(window.location.href);
    url.searchParams.delete('lang');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  } catch {
    // Without history (an old browser, a sandboxed frame) the parameter stays; it only repeats the choice.
  }
}

// <html lang> is the single source of the current language: screen readers use it,
// and api.ts sends it as Accept-Language so that API messages match the UI.
function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode may refuse storage; the choice then lasts for this page only.
  }
}

export type Params = Record<string, string | number>;

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** Translates a key, replacing `{name}` placeholders. */
  t: (key: MessageKey, params?: Params) => string;
  /** Translates `prefix.value` (a status, channel, …), falling back to the raw value for unknown ones. */
  label: (prefix: string, value: string | null | undefined) => string;
}

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    // A link's `lang` wins over an earlier choice on this browser and becomes the choice: the customer
    // who opened an English mail's link goes on reading in English.
    const asked = langFromUrl();
    if (asked) {
      applyLang(asked);
      dropLangFromUrl();
      return asked;
    }
    const initial = storedLang();
    document.documentElement.lang = initial;
    return initial;
  });

  const setLang = useCallback((next: Lang) => {
    applyLang(next);
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const catalogue = catalogues[lang];
    const t = (key: MessageKey, params?: Params) => interpolate(catalogue[key] ?? vi[key] ?? key, params);
    const label = (prefix: string, raw: string | null | undefined) => {
      if (!raw) return '—';
      const key = `${prefix}.${raw}`;
      return key in catalogue ? catalogue[key as MessageKey] : raw;
    };
    return { lang, setLang, t, label };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
