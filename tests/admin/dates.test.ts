/**
 * Dates as the console shows them: YYYY-MM-DD in Asia/Shanghai whatever the machine's zone, and the
 * relative due text ("3 天后到期", "今天到期", "逾期 2 天") from the real message files.
 */
import { describe, expect, it } from 'vitest';
import { dueState, formatDate, formatDateTime, parseDateText, relativeDue, shanghaiDay } from '../../admin/src/lib/dates';
import { i18nProvider } from '../../admin/src/i18n';

const at = (iso: string) => Date.parse(iso);

async function translator(locale: 'zh' | 'en') {
  await i18nProvider.changeLocale(locale);
  return (key: string, options?: Record<string, unknown>) => i18nProvider.translate(key, options);
}

describe('formatDate / formatDateTime', () => {
  it('uses the Shanghai calendar day, not the machine zone', () => {
    // 16:30 UTC is 00:30 the next day in Shanghai.
    expect(formatDate('2026-03-01T16:30:00Z')).toBe('2026-03-02');
    expect(formatDate('2026-03-01T15:59:59Z')).toBe('2026-03-01');
    expect(formatDate('2026-03-02T00:30:00+08:00')).toBe('2026-03-02');
    expect(formatDateTime('2026-03-01T16:30:00Z')).toBe('2026-03-02 00:30');
  });

  it('leaves nothing for no value and keeps unparsable text', () => {
    expect(formatDate(undefined)).toBe('');
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('counts Shanghai days', () => {
    expect(shanghaiDay('2026-03-02T00:00:00+08:00') - shanghaiDay('2026-03-01T23:59:59+08:00')).toBe(1);
  });
});

describe('dueState', () => {
  const now = at('2026-03-10T10:00:00+08:00');

  it('due later today', () => {
    expect(dueState('2026-03-10T23:59:59+08:00', now)).toEqual({ kind: 'today' });
  });

  it('due in N calendar days (Shanghai)', () => {
    expect(dueState('2026-03-13T09:00:00+08:00', now)).toEqual({ kind: 'upcoming', days: 3 });
    // 16:00 UTC on the 10th is already the 11th in Shanghai.
    expect(dueState('2026-03-10T16:00:00Z', now)).toEqual({ kind: 'upcoming', days: 1 });
  });

  it('overdue by whole days after the due day, at least 1 (as the API counts)', () => {
    expect(dueState('2026-03-10T09:59:00+08:00', now)).toEqual({ kind: 'overdue', days: 1 });
    expect(dueState('2026-03-08T23:59:59+08:00', now)).toEqual({ kind: 'overdue', days: 2 });
  });
});

describe('relativeDue', () => {
  const now = at('2026-03-10T10:00:00+08:00');

  it('speaks Chinese by default', async () => {
    const t = await translator('zh');
    expect(relativeDue('2026-03-13T09:00:00+08:00', t, now)).toBe('3 天后到期');
    expect(relativeDue('2026-03-10T18:00:00+08:00', t, now)).toBe('今天到期');
    expect(relativeDue('2026-03-08T12:00:00+08:00', t, now)).toBe('逾期 2 天');
  });

  it('and English, with plurals', async () => {
    const t = await translator('en');
    expect(relativeDue('2026-03-11T09:00:00+08:00', t, now)).toBe('due in 1 day');
    expect(relativeDue('2026-03-13T09:00:00+08:00', t, now)).toBe('due in 3 days');
    expect(relativeDue('2026-03-10T18:00:00+08:00', t, now)).toBe('due today');
    expect(relativeDue('2026-03-10T08:00:00+08:00', t, now)).toBe('overdue by 1 day');
    expect(relativeDue('2026-03-08T12:00:00+08:00', t, now)).toBe('overdue by 2 days');
    await i18nProvider.changeLocale('zh');
  });
});

describe('parseDateText', () => {
  it('reads a date as people write it, as YYYY-MM-DD', () => {
    for (const text of ['2026-12-04', '2026-12-4', '2026/12/4', '2026.12.04', '2026年12月4日', '2026 年 12 月 4 日', '20261204', ' 2026-12-04 ']) {
      expect(parseDateText(text), text).toBe('2026-12-04');
    }
  });

  it('refuses text that is no date or a day the calendar does not have', () => {
    for (const text of ['', '12/04/2026', '2026-13-01', '2026-02-29', '2026-12', 'mm/dd/yyyy', '2026-12-04T00:00']) {
      expect(parseDateText(text), text).toBeUndefined();
    }
    expect(parseDateText('2028-02-29')).toBe('2028-02-29');
  });
});
