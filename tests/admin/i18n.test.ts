/** The message files: react-admin's keys all in Chinese, and every key the console uses in both languages. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import englishMessages from 'ra-language-english';
import { raZh } from '../../admin/src/i18n/ra-zh';
import { zh } from '../../admin/src/i18n/zh';
import { en } from '../../admin/src/i18n/en';

type Tree = { [k: string]: string | Tree };
const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
const lookup = (tree: Tree, key: string) => key.split('.').reduce<string | Tree | undefined>((t, k) => (t && typeof t === 'object' ? t[k] : undefined), tree);

const SRC = fileURLToPath(new URL('../../admin/src', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });

describe('messages', () => {
  it('translate every react-admin message into Chinese', () => {
    expect(keys(raZh as Tree).sort()).toEqual(keys(englishMessages as Tree).sort());
  });

  it('have the same keys in Chinese and English', () => {
    expect(keys(zh as Tree).sort()).toEqual(keys(en as Tree).sort());
  });

  it('contain every literal fangfan.* key the console uses', () => {
    const used = new Set<string>();
    for (const f of files(SRC)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/['"`](fangfan\.[a-z_]+(?:\.[a-zA-Z_]+)+)['"`]/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter((k) => typeof lookup(zh as Tree, k) !== 'string' || typeof lookup(en as Tree, k) !== 'string');
    expect(missing).toEqual([]);
  });
});
