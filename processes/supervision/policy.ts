/** Policy section `supervision` (item 6: 督办 replied to by a deadline). */
import type { SupervisionPolicy } from './contract';
import { dueRule, mapping, required } from '../../policy/check';

export function supervisionSection(v: unknown, key = 'supervision'): SupervisionPolicy {
  const o = mapping(v, key, ['reply']);
  return { reply: required(o, 'reply', key, dueRule) };
}
