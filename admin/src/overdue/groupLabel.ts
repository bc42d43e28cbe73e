/** A summary group's key in words: a process type's title, a role's name, or the town / department as is. */
import type { OverdueGroupBy, ProcessTypeInfo } from '../api/types';
import { roleTitle } from '../common/RoleLabel';
import { pick } from '../lib/text';

export function groupLabel(groupBy: OverdueGroupBy, key: string, catalogue: ProcessTypeInfo[], locale: string, none: string): string {
  if (!key) return none;
  if (groupBy === 'processType') {
    const def = catalogue.find((p) => p.type === key);
    return def ? pick(def.title, locale) : key;
  }
  if (groupBy === 'role') return roleTitle(key, locale);
  return key;
}
