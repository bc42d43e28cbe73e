/**
 * What the API adds to a step form or signal payload before the workflow sees it: facts only the
 * register knows, so the workflow's validator can apply its rule without I/O. A field naming a user
 * (`coVerifierId`, `helperId`) gains that user's record (`coVerifier`, `helper`). Visit team members
 * (`members`, at the top or in each of `teams`) must be active users now: the campaign checks them
 * against its snapshot of the town's users at start, which does not know who was deactivated since.
 */
import { User } from '../../db';
import type { Services } from '../services';
import { invalidField, ruleViolation } from '../commands/refusal';

const USER_FIELDS: Record<string, string> = { coVerifierId: 'coVerifier', helperId: 'helper' };

export async function enrichForm(services: Services, form: Record<string, unknown>): Promise<Record<string, unknown>> {
  await checkTeamMembers(services, form);
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

/**
 * Each team member a form names (`members`, `teams.<i>.members`) is an active user: 422 naming the
 * first that is not, as the workflow refuses a member who is not among the town's users.
 */
async function checkTeamMembers(services: Services, form: Record<string, unknown>): Promise<void> {
  const teams = Array.isArray(form.teams) ? form.teams : [];
  const lists = [['members', form.members], ...teams.map((team, i) => [`teams.${i}.members`, (team as { members?: unknown } | null)?.members])] as const;
  const named = lists.flatMap(([path, members]) => (Array.isArray(members) ? members.map((id, j) => ({ field: `${path}.${j}`, id: String(id) })) : []));
  if (!named.length) return;
  const active = await services.db.em().find(User, { id: { $in: named.map((m) => m.id) }, active: true }, { fields: ['id'] });
  const known = new Set(active.map((u) => u.id));
  const missing = named.find((m) => !known.has(m.id));
  if (missing) {
    const message = `组员须为在岗人员：${missing.id} 不存在或已停用 (team members must be active users)`;
    throw ruleViolation(`${missing.field}: ${message}`, [{ field: missing.field, rule: 'active', message }]);
  }
}
