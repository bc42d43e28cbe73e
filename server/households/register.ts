/**
 * Writing to the register, shared by the single-household routes and the import: the district's
 * places, new household ids, what changed, and the answers for a duplicate ID number or a place
 * outside the caller's area.
 */
import { randomInt } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { Household, Village } from '../../db';
import type { Actor, Place } from '../../contracts/roles';
import { conflict, forbidden } from '../errors';
import { maySeeHousehold } from '../scope';
import { placeDirectory, type HouseholdFields, type PlaceDirectory } from '../validation/household';
import type { HouseholdRow } from './view';

export async function loadPlaces(em: EntityManager): Promise<PlaceDirectory> {
  return placeDirectory(await em.find(Village, {}, { fields: ['town', 'name'] }));
}

/** `n` free household ids (H + 8 random digits), checked against the register. */
export async function newHouseholdIds(em: EntityManager, n: number): Promise<string[]> {
  const out = new Set<string>();
  while (out.size < n) {
    const batch = new Set<string>();
    while (batch.size < n - out.size) {
      const id = `H${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      if (!out.has(id)) batch.add(id);
    }
    const taken = new Set((await em.find(Household, { id: { $in: [...batch] } }, { fields: ['id'] })).map((h) => h.id));
    for (const id of batch) if (!taken.has(id)) out.add(id);
  }
  return [...out];
}

/** The fields of `v` that differ from the household's. */
export const changedFields = (h: HouseholdRow, v: Partial<HouseholdFields>) =>
  (Object.keys(v) as (keyof HouseholdFields)[]).filter((k) => JSON.stringify(h[k] ?? null) !== JSON.stringify(v[k] ?? null));

export const placeText = (p: Place) => `${p.town}${p.village}`;

export const outOfArea = (p: Place) => forbidden(`无权操作${placeText(p)}的农户 (the household is outside your area)`);

/** 409 for an ID number registered to `other`, naming it only to whoever may read it. */
export function duplicateIdNumber(actor: Actor, other: HouseholdRow) {
  const extra = maySeeHousehold(actor, other) ? { id: other.id } : {};
  return conflict(`该身份证号已登记 (idNumber is already registered${'id' in extra ? ` for household ${other.id}` : ''})`, extra);
}

/** Flush; an ID number registered meanwhile (the unique index) is a 409. */
export async function flushRegister(em: EntityManager): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict('该身份证号已登记 (idNumber is already registered)');
    throw err;
  }
}
