import { describe, expect, it } from 'vitest';
import { formatPercent, locales, messages, setLocale, t } from '../src/i18n';

describe('translations', () => {
  it('has every key in every language, none empty', () => {
    const keys = Object.keys(messages.en).sort();
    for (const l of locales) {
      expect(Object.keys(messages[l]).sort()).toEqual(keys);
      for (const k of keys) expect((messages[l] as Record<string, string>)[k].trim()).not.toBe('');
    }
  });

  it('keeps the same placeholders in every language', () => {
    const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [k, v] of Object.entries(messages.en)) {
      expect(names((messages['zh-CN'] as Record<string, string>)[k])).toEqual(names(v));
    }
  });

  it('fills placeholders and switches language', () => {
    setLocale('en');
    expect(t('login.title', { hub: 'plant' })).toBe('Log in to plant');
    setLocale('zh-CN');
    expect(t('login.title', { hub: 'plant' })).toBe('登录 plant');
    expect(t('state.down')).toBe('故障停机');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('formats per locale', () => {
    setLocale('en');
    expect(formatPercent(0.5734)).toBe('57.3%');
    expect(formatPercent(null)).toBe('–');
  });
});
