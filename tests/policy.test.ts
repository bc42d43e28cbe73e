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

describe('the plan quoted in the policy file', () => {
  const plan = JSON.parse(readFileSync(new URL('./fixtures/plan-items.json', import.meta.url), 'utf8')).items as Record<string, string>;
  /** Each block of comment lines as one text (the quotes wrap across lines). */
  const blocks: string[] = [];
  let open = false;
  for (const line of shipped.split('\n')) {
    const i = line.indexOf('#');
    if (i < 0) {
      open = false;
      continue;
    }
    const text = line.slice(i + 1).trim();
    if (open && line.trimStart().startsWith('#')) blocks[blocks.length - 1] += text;
    else blocks.push(text);
    open = line.trimStart().startsWith('#');
  }
  /** The “…” that ends right before `end` (nested quotes kept). */
  function quoteBefore(text: string, end: number): string | undefined {
    if (text[end] !== '”') return undefined;
    let depth = 0;
    for (let i = end; i >= 0; i--) {
      if (text[i] === '”') depth++;
      if (text[i] === '“' && --depth === 0) return text.slice(i + 1, end);
    }
    return undefined;
  }
  const citations = blocks.flatMap((text) =>
    [...text.matchAll(/\((item|items) ([\d, –-]+)[):]/g)].map((m) => {
      const before = text.slice(0, m.index).trimEnd();
      return { items: m[2].split(/,\s*/), quote: quoteBefore(before, before.length - 1), paraphrase: /[\u4e00-\u9fff，。、]$/.test(before), text: before.slice(-40) };
    }),
  );

  it('cites plan items only with the plan\'s own words, quoted exactly', () => {
    expect(citations.length).toBeGreaterThan(10);
    for (const c of citations) {
      expect(c.paraphrase && !c.quote, `unquoted Chinese before (item ${c.items}): ${c.text}`).toBe(false);
      if (!c.quote) continue;
      const found = c.items.some((n) => plan[n]?.includes(c.quote!));
      expect(found, `“${c.quote}” is not in plan item ${c.items.join(', ')}`).toBe(true);
    }
  });
});
