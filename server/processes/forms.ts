/**
 * What the API adds to a step form or signal payload before the workflow sees it: facts only the
 * register knows, so the workflow's validator can apply its rule without I/O. A field naming a user
 * (`coVerifierId`, `helperId`) gains that user's record (`coVerifier`, `helper`).
 */
import { User } from '../../db';
import type { Services } from '../services';
import { invalidField } from '../commands/refusal';

const USER_FIELDS: Record<string, string> = { coVerifierId: 'coVerifier', helperId: 'helper' };

export async function enrichForm(services: Services, form: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out = { ...form };
  for (const [idField, target] of Object.entries(USER_FIELDS)) {
    const id = form[idField];
    if (typeof id !== 'string') continue;
    const user = await services.db.em().findOne(User, { id, active: true });
    if (!user) throw invalidField(idField, 'exists', `没有该用户 ${id} (no such active user)`);
    out[target] = { id: user.id, name: user.name, roles: user.roles, town: user.town ?? undefined, village: user.village ?? undefined };
  }
  return out;
}
