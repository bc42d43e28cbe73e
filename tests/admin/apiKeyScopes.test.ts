/** The scopes a new API key is offered: exactly those the API accepts (server/api-keys.ts), labelled. */
import { describe, expect, it } from 'vitest';
import { ENDPOINT_SCOPES, knownScopes } from '../../contracts/authz';
import { CATALOGUE } from '../../processes';
import { scopeLabel, scopeOptions } from '../../admin/src/apiKeys/scopes';
import { zh } from '../../admin/src/i18n/zh';

type Tree = { [k: string]: string | Tree };
/** A stand-in for polyglot: the Chinese message with its %{placeholders} filled. */
const translate = (key: string, options: Record<string, unknown> = {}) => {
  const msg = key.split('.').reduce<string | Tree | undefined>((t, k) => (t && typeof t === 'object' ? t[k] : undefined), zh as unknown as Tree);
  return typeof msg === 'string' ? msg.replace(/%\{(\w+)\}/g, (_, k: string) => String(options[k] ?? '')) : key;
};

describe('API key scope options', () => {
  it('offer every scope the API accepts, and nothing else', () => {
    const ids = scopeOptions(CATALOGUE, 'zh', translate).map((o) => o.id);
    expect(ids).toEqual(knownScopes(CATALOGUE));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('build start and signal scopes from the catalogue answer, endpoint scopes from contracts/authz.ts', () => {
    const catalogue = [
      { type: 'identification', title: { zh: '监测对象认定', en: 'Identification' }, signals: [{ name: 'objection', title: { zh: '公示异议', en: 'Objection' } }] },
      { type: 'exit', title: { zh: '风险消除', en: 'Exit' }, signals: [] },
    ];
    const options = scopeOptions(catalogue, 'zh', translate);
    expect(options.slice(0, 3)).toEqual([
      { id: 'start:identification', name: '发起：监测对象认定', group: 'start' },
      { id: 'start:exit', name: '发起：风险消除', group: 'start' },
      { id: 'signal:identification.objection', name: '信号：监测对象认定 · 公示异议', group: 'signal' },
    ]);
    const endpoints = options.slice(3, 3 + Object.keys(ENDPOINT_SCOPES).length);
    expect(endpoints.map((o) => o.id)).toEqual(Object.keys(ENDPOINT_SCOPES));
    expect(endpoints.every((o) => o.group === 'endpoint' && o.name.length > 0)).toBe(true);
    expect(options.find((o) => o.id === 'department:区医保局')).toEqual({ id: 'department:区医保局', name: '以区医保局名义预警', group: 'department' });
    expect(scopeOptions(catalogue, 'en', (k) => k).find((o) => o.id === 'alert')?.name).toBe(ENDPOINT_SCOPES.alert.en);
  });

  it('label a scope, or show it as it is when the catalogue no longer has it', () => {
    const options = scopeOptions(CATALOGUE, 'zh', translate);
    expect(scopeLabel('alert', options)).toBe(ENDPOINT_SCOPES.alert.zh);
    expect(scopeLabel('start:gone', options)).toBe('start:gone');
  });

  it('have their labels in both languages', () => {
    for (const k of ['scope_start', 'scope_signal', 'scope_department', 'group_start', 'group_signal', 'group_endpoint', 'group_department']) expect(translate(`fangfan.api_keys.${k}`)).not.toContain('fangfan');
  });
});
