/**
 * Chromium for the e2e tests (Debian's, `CHROMIUM_PATH`), driven by playwright-core against the real
 * app, and the console bundle rebuilt first when admin/src is newer than admin/dist.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, startTestApp, type TestApp } from './app';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHOTS = join(ROOT, 'tests', 'artifacts', 'screenshots');
export const DESKTOP = { width: 1366, height: 800 };
export const PHONE = { width: 390, height: 844 };

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export async function buildAdminIfNeeded(): Promise<void> {
  const index = join(ROOT, 'admin', 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(ROOT, 'admin', 'src'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'admin', 'vite.config.ts'), logLevel: 'warn' });
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });

export async function newPage(browser: Browser, viewport: { width: number; height: number }, phone = false): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

export async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.hash.includes('login'));
}

/** The console as a browser meets it: the bundle (rebuilt if stale), the app listening, Chromium. */
export async function openConsole(opts: Parameters<typeof startTestApp>[0] = {}): Promise<{ t: TestApp; base: string; browser: Browser; close: () => Promise<void> }> {
  mkdirSync(SHOTS, { recursive: true });
  await buildAdminIfNeeded();
  const t = await startTestApp(opts);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  return {
    t,
    base,
    browser,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}
