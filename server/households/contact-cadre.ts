/**
 * 包户干部 (contact cadres, plan items 4–5): every 脱贫户 and 监测户 has a named cadre who answers for
 * it — any active cadre at district, town or village level (the same 区镇村三级 rule as P2's helpers,
 * processes/helper-assignment/contract.ts). Town officers name and change them for their town, the
 * district for all; every change is kept (contact_cadre_change) and audited. The March/August/November
 * visits to a 脱贫户 go to this person (processes/poverty-visit).
 */
import type { EntityManager } from '@mikro-orm/core';
import { ContactCadreChange, User } from '../../db';
import type { Actor } from '../../contracts/roles';
import { helperRefusal, mayBeHelper } from '../../processes/helper-assignment/contract';
import { toShanghaiIso } from '../../calendar/dates';
import { invalidField } from '../errors';
import type { Where } from '../lists';
import type { HouseholdRow } from './view';

/** The households that must have a contact cadre: 脱贫户 and 监测户. */
export const NEEDS_CONTACT_CADRE: Where = { $or: [{ status: 'out_of_poverty' }, { monitoringStatus: 'monitored' }] };

export const needsContactCadre = (h: Pick<HouseholdRow, 'status' | 'monitoringStatus'>) => h.status === 'out_of_poverty' || h.monitoringStatus === 'monitored';

/** Who may name or change a household's contact cadre: its town's officers, the district supervisor, admins. */
export function mayAssignContactCadre(actor: Actor, h: Pick<HouseholdRow, 'town'>): boolean {
  if (actor.kind !== 'user') return false;
  if (actor.roles.includes('admin') || actor.roles.includes('district_supervisor')) return true;
  return actor.roles.includes('town_officer') && actor.town === h.town;
}

/** The household's contact cadre as the API shows it. */
export const contactCadreView = (h: HouseholdRow) =>
  h.contactCadreId ? { id: h.contactCadreId, name: h.contactCadreName ?? h.contactCadreId, since: h.contactCadreSince ? toShanghaiIso(h.contactCadreSince) : null } : null;

/**
 * Names `userId` the household's contact cadre, keeping the change. Refuses (400, field `userId`) a
 * user who is unknown, inactive or not a cadre at a level that may answer for this household. Not
 * flushed. Returns the change, or nothing when the cadre stays the same.
 */
export async function assignContactCadre(em: EntityManager, actor: Actor, h: HouseholdRow, userId: string, reason: string | null, at: Date) {
  const user = await em.findOne(User, { id: userId });
  if (!user || !user.active) throw invalidField('userId', 'exists', `没有在岗的用户 ${userId} (no active user with this id)`);
  const person = { id: user.id, name: user.name, roles: user.roles as Actor['roles'], town: user.town ?? undefined, village: user.village ?? undefined };
  if (!mayBeHelper(person, h)) throw invalidField('userId', 'cadre', helperRefusal(h).replace('帮扶责任人', '包户干部').replace('the helper', 'the contact cadre'));
  if (h.contactCadreId === user.id) return undefined;
  const change = em.create(ContactCadreChange, {
    householdId: h.id,
    fromId: h.contactCadreId ?? null,
    fromName: h.contactCadreName ?? null,
    toId: user.id,
    toName: user.name,
    byId: actor.id,
    byName: actor.name,
    reason,
    at,
  });
  h.contactCadreId = user.id;
  h.contactCadreName = user.name;
  h.contactCadreSince = at;
  return change;
}

/** The household's contact cadre changes, newest first. */
export async function contactCadreHistory(em: EntityManager, householdId: string) {
  const rows = await em.find(ContactCadreChange, { householdId }, { orderBy: { id: 'DESC' } });
  return rows.map((c) => ({
    from: c.fromId ? { id: c.fromId, name: c.fromName ?? c.fromId } : null,
    to: { id: c.toId, name: c.toName },
    by: { id: c.byId, name: c.byName },
    reason: c.reason ?? null,
    at: toShanghaiIso(c.at),
  }));
}
