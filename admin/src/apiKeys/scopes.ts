/**
 * The scopes an API key may be given, as choices: `start:<type>` and `signal:<type>.<signal>` from the
 * catalogue (`GET /api/process-types`), then the endpoint scopes of contracts/authz.ts, then the
 * departments a key may speak for (`department:<部门>`, what its alerts may name). The same list
 * the API checks a new key against (server/api-keys.ts: `knownScopes(CATALOGUE)`).
 */
import { DEPARTMENT_SCOPE, ENDPOINT_SCOPES } from '../../../contracts/authz';
import { DEPARTMENTS } from '../../../contracts/roles';
import { pick } from '../lib/text';
import type { Text } from '../../../contracts/i18n';

export type ScopeGroup = 'start' | 'signal' | 'endpoint' | 'department';

export interface ScopeOption {
  id: string;
  name: string;
  group: ScopeGroup;
}

type CatalogueEntry = { type: string; title: Text | string; signals: readonly { name: string; title: Text | string }[] };
type Translate = (key: string, options?: Record<string, unknown>) => string;

export function scopeOptions(catalogue: readonly CatalogueEntry[], locale: string, translate: Translate): ScopeOption[] {
  const starts = catalogue.map((p) => ({
    id: `start:${p.type}`,
    name: translate('fangfan.api_keys.scope_start', { process: pick(p.title, locale) }),
    group: 'start' as const,
  }));
  const signals = catalogue.flatMap((p) =>
    p.signals.map((s) => ({
      id: `signal:${p.type}.${s.name}`,
      name: translate('fangfan.api_keys.scope_signal', { process: pick(p.title, locale), signal: pick(s.title, locale) }),
      group: 'signal' as const,
    })),
  );
  const endpoints = Object.entries(ENDPOINT_SCOPES).map(([id, title]) => ({ id, name: pick(title, locale), group: 'endpoint' as const }));
  const departments = DEPARTMENTS.map((department) => ({
    id: `${DEPARTMENT_SCOPE}${department}`,
    name: translate('fangfan.api_keys.scope_department', { department }),
    group: 'department' as const,
  }));
  return [...starts, ...signals, ...endpoints, ...departments];
}

/** A scope's label among the options (the scope itself when unknown, e.g. one the catalogue dropped). */
export function scopeLabel(scope: string, options: readonly ScopeOption[]): string {
  return options.find((o) => o.id === scope)?.name ?? scope;
}
