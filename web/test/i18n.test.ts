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

describe('every key the pages use', () => {
  it('is a message (a literal t() key without one fails here)', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(vue|ts)$/.test(name)) files.push(path);
      }
    };
    walk(join(__dirname, '../src'));
    const missing: string[] = [];
    let used = 0;
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-z_]+\.[a-z_.]+)'/g)) {
        used += 1;
        if (!(m[1] in messages.en)) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(used).toBeGreaterThan(200); // the pattern finds the pages' keys
    expect(missing).toEqual([]);
  });
});

describe("the plant's time zone", () => {
  it('shows times in it, whatever the browser', async () => {
    const { formatTime, formatAxisTime, setPlantZone, plantZone } = await import('../src/i18n');
    setLocale('en');
    setPlantZone('Asia/Shanghai');
    expect(formatTime('2026-03-01T22:30:00Z')).toContain('06:30:00'); // the next morning there
    expect(formatAxisTime(Date.parse('2026-03-01T22:30:00Z'), 3600e3)).toBe('06:30');
    expect(formatAxisTime(Date.parse('2026-03-01T22:30:00Z'), 30 * 24 * 3600e3)).toBe('03/02');
    setPlantZone('Not/AZone'); // unknown: the browser's
    expect(plantZone.value).toBeUndefined();
    setPlantZone(undefined);
  });
});
