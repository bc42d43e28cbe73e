/**
 * A household as commands and routes read it by id: one the caller may see (server/scope.ts
 * maySeeHousehold: their area, or the whole register for department officers), or, for an API key,
 * any (its scopes, checked before, say what it may do: alert, start a type). Any other is answered
 * exactly as one that does not exist (`unknown.household`, 404); what the caller may do to one it
 * sees is the caller's route's or starter's own check (403).
 */
import type { EntityManager } from '@mikro-orm/core';
import { Household } from '../../db';
import type { Actor } from '../../contracts/roles';
import { maySeeHousehold } from '../scope';
import { unknown } from './refusal';

export async function visibleHousehold(em: EntityManager, actor: Actor, id: string) {
  const household = await em.findOne(Household, { id });
  if (!household) throw unknown.household(id);
  if (actor.kind === 'user' && !maySeeHousehold(actor, household)) throw unknown.household(id, true);
  return household;
}
