/**
 * What every console screen of the e2e journeys is checked for, beside what its test asserts:
 * - plain language (`expectPlainLanguage`): on a Chinese screen no internal code (`village_cadre`), no
 *   JSON (`{"`), and no Latin word outside a short allow-list (names of file formats, the product's
 *   own abbreviations); the offending words are listed;
 * - accessibility (`expectAccessible`): axe-core (the installed axe.min.js, injected into the page)
 *   finds no serious or critical violation (labels, names of buttons, contrast, landmarks).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Latin words a Chinese screen may show: file formats and units people know by these names. */
export const LATIN_ALLOWED = new Set(['PDF', 'Excel', 'A4', 'API', 'ID']);

/** The problems of a screen's text: codes, JSON, and Latin words outside the allow-list. */
export function languageProblems(text: string, allowed: ReadonlySet<string> = LATIN_ALLOWED): string[] {
  const problems = new Set<string>();
  for (const m of text.matchAll(/[a-z]+_[a-z]+/g)) problems.add(`code ${m[0]}`);
  if (text.includes('{"')) problems.add('JSON {"');
  for (const m of text.matchAll(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g)) if (!allowed.has(m[0])) problems.add(`Latin word ${m[0]}`);
  return [...problems];
}

/**
 * The page's text as people see it (text-transform applied), scanned by `languageProblems`.
 * `dataShown`: exact strings that are data people typed or were issued, not the console's words (a
 * user's login name, an API key's prefix), taken out of the text before the scan; nothing else is.
 */
export async function expectPlainLanguage(page: Page, { allowed, dataShown = [] }: { allowed?: ReadonlySet<string>; dataShown?: readonly string[] } = {}): Promise<void> {
  const shown = await page.locator('body').innerText();
  const text = [...dataShown].sort((a, b) => b.length - a.length).reduce((s, d) => (d ? s.split(d).join(' ') : s), shown);
  expect(languageProblems(text, allowed), `${page.url()}\n${shown.slice(0, 2000)}`).toEqual([]);
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules, and best practices). */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated, not a <script> tag: the console's CSP (rightly) refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page), page.url()).toEqual([]);
}
