/** The policy file: the shipped one is valid; a broken one is refused with the key named. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY_FILE, loadPolicy } from '../policy';

const shipped = readFileSync(DEFAULT_POLICY_FILE, 'utf8');
function withText(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'fangfan-policy-')), 'policy.yaml');
  writeFileSync(file, text);
  return () => loadPolicy(file);
}

describe('policy file', () => {
  it('ships the plan\'s values: 15 days overall, notice at least 5 days', () => {
    const p = loadPolicy(DEFAULT_POLICY_FILE);
    expect(p.identification.overallLimit).toEqual({ calendarDays: 15 });
    expect(p.identification.noticeMinimum).toBe('P5D');
    expect(Object.keys(p.identification.steps)).toHaveLength(6);
    expect(p.digest).toMatch(/^[0-9a-f]{12}$/);
    expect(p.campaign.visitsPerRun).toBe(100);
  });

  it.each([
    ['an unknown key', shipped.replace('noticeMinimum: P5D', 'noticeMinimum: P5D\n  noticeMaximum: P9D'), 'identification.noticeMaximum: unknown key'],
    ['a missing step', shipped.replace(/^\s*townReview:.*$/m, ''), 'identification.steps.townReview: is required'],
    ['a bad due rule', shipped.replace('villageReview: { calendarDays: 2 }', 'villageReview: { weeks: 2 }'), 'identification.steps.villageReview'],
    ['a negative count', shipped.replace('villageReview: { calendarDays: 2 }', 'villageReview: { workingDays: -1 }'), 'identification.steps.villageReview'],
    ['a bad duration', shipped.replace('noticeMinimum: P5D', 'noticeMinimum: five days'), 'identification.noticeMinimum'],
    ['no version', shipped.replace(/^version:.*$/m, ''), ': version: is required'],
    ['a village part below one household', shipped.replace('visitsPerRun: 100', 'visitsPerRun: 0'), 'campaign.visitsPerRun'],
    ['a section missing', shipped.replace(/^identification:[\s\S]*$/m, ''), ': identification: is required'],
  ])('refuses %s, naming the key', (_what, text, message) => {
    expect(withText(text)).toThrow(message);
  });
});

describe('the schema of the values (GET /api/policy `schema`)', () => {
  it('accepts the shipped values and the test policy, and refuses what the checkers refuse', async () => {
    const { createAjv } = await import('../server/processes/validate');
    const { POLICY_SCHEMA } = await import('../policy/schema');
    const { policyValues } = await import('../policy');
    const validate = createAjv().compile(POLICY_SCHEMA);
    const shippedValues = policyValues(loadPolicy(DEFAULT_POLICY_FILE));
    expect(validate(shippedValues), JSON.stringify(validate.errors)).toBe(true);
    const short = policyValues(loadPolicy(new URL('./fixtures/policy-short.yaml', import.meta.url).pathname));
    expect(validate(short), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(shippedValues) as any;
    broken.identification.steps.townReview = { weeks: 2 };
    expect(validate(broken)).toBe(false);
  });
});
