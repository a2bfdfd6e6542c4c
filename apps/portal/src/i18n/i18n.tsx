import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Problem } from '../api/problem';
import { CODES } from '@atlauja/problems';
import { en } from './en';
import { lv, type MessageKey } from './lv';

import type { Lang } from './lang';

export type { Lang };
const MESSAGES: Record<Lang, Record<MessageKey, string>> = { lv, en };
const STORAGE = 'atlauja.lang';

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** The text of an API code; the API's own words when the table lacks it. */
  code(code: string, fallback?: string): string;
  /** One sentence for a problem: its code's text, else a generic one. */
  problem(problem: Problem): string;
}

const Context = createContext<I18n | null>(null);

function fill(text: string, params?: Record<string, string | number>): string {
  return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(STORAGE) === 'en' ? 'en' : 'lv'));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const t = (key: MessageKey, params?: Record<string, string | number>) => fill(MESSAGES[lang][key], params);
    const code = (c: string, fallback?: string) => CODES[c]?.[lang] ?? fallback ?? c;
    return {
      lang,
      setLang(next) {
        localStorage.setItem(STORAGE, next);
        setLangState(next);
      },
      t,
      code,
      problem(p) {
        if (p.status === 0) return t('errorNetwork');
        if (p.code && CODES[p.code]) return CODES[p.code][lang];
        const rule = p.errors?.find((e) => CODES[e.rule]);
        if (rule) return CODES[rule.rule][lang];
        return p.detail ? `${t('errorGeneric', { status: p.status })} ${p.detail}` : t('errorGeneric', { status: p.status });
      },
    };
  }, [lang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
