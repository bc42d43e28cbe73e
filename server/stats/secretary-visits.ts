/**
 * The secretaries' annual 遍访 (plan item 4) as coverage by person, from the register and the read model:
 *
 * - whom: active users with a post (contracts/posts.ts) the caller may see — the district's supervision
 *   every one, a town officer the secretaries of their town (the town's and its villages');
 * - what each must visit this year: the district secretary the key villages (the register's 重点村 flag)
 *   and their towns — when the register flags none, every village with 监测户 and its town; a town
 *   secretary every village of the town and the town's 监测户; a village secretary or 第一书记 every 脱贫户
 *   and 监测户 of the village (the register as it stands);
 * - a visit: a visit step (below) the person completed in the year (Beijing time). A household is
 *   visited when such a step concerns it; a village when one was in the village; a town when one was in
 *   the town.
 */
import { Household, Step, User, Village, type EntityManager } from '../../db';
import type { Actor } from '../../contracts/roles';
import { POSTS, POST_LEVELS, type Post } from '../../contracts/posts';
import type { SecretaryCoverage, SecretaryVisits, VisitUnit } from '../../contracts/secretary-visits';
import { CAMPAIGN } from '../../processes/campaign/contract';
import { HELPER_ASSIGNMENT } from '../../processes/helper-assignment/contract';
import { OUT_OF_POVERTY_VISIT } from '../../processes/poverty-visit/contract';
import { beijingMidnight } from './query';

/** The steps that are a visit to a household: the campaign's (recorded, and confirmed by the team's other member), the helper's monthly one, the contact cadre's 脱贫户 visit. */
export const VISIT_STEPS: { processType: string; stepKey: string }[] = [
  { processType: CAMPAIGN.type, stepKey: CAMPAIGN.steps.campaignVisit.key },
  { processType: CAMPAIGN.type, stepKey: CAMPAIGN.steps.confirmVisit.key },
  { processType: HELPER_ASSIGNMENT.type, stepKey: HELPER_ASSIGNMENT.steps.monthlyVisit.key },
  { processType: OUT_OF_POVERTY_VISIT.type, stepKey: OUT_OF_POVERTY_VISIT.steps.povertyVisit.key },
];

const LEVEL_ORDER = { district: 0, town: 1, village: 2 } as const;

interface Visit {
  town: string;
  village: string;
  householdId: string | null;
}

type HouseholdRow = { id: string; headName: string; town: string; village: string; status: string; monitoringStatus: string };

const householdUnit = (h: HouseholdRow): VisitUnit => ({
  kind: 'household',
  town: h.town,
  village: h.village,
  householdId: h.id,
  headName: h.headName,
  group: h.monitoringStatus === 'monitored' ? 'monitored' : 'out_of_poverty',
});
const villageUnit = (town: string, village: string): VisitUnit => ({ kind: 'village', town, village, householdId: null, headName: null, group: null });
const townUnit = (town: string): VisitUnit => ({ kind: 'town', town, village: null, householdId: null, headName: null, group: null });

function visitedBy(unit: VisitUnit, visits: Visit[]): boolean {
  if (unit.kind === 'household') return visits.some((v) => v.householdId === unit.householdId);
  if (unit.kind === 'village') return visits.some((v) => v.town === unit.town && v.village === unit.village);
  return visits.some((v) => v.town === unit.town);
}

export async function secretaryVisits(em: EntityManager, actor: Actor, year: number): Promise<SecretaryVisits> {
  const wide = actor.roles.some((r) => r === 'admin' || r === 'district_supervisor');
  const secretaries = (
    await em.find(User, { active: true, post: { $in: [...POSTS] }, ...(wide ? {} : { town: actor.town ?? '' }) }, { fields: ['id', 'name', 'post', 'town', 'village'] as never })
  ).sort((a, b) => LEVEL_ORDER[POST_LEVELS[a.post as Post]] - LEVEL_ORDER[POST_LEVELS[b.post as Post]] || (a.town ?? '').localeCompare(b.town ?? '') || (a.village ?? '').localeCompare(b.village ?? '') || a.name.localeCompare(b.name));

  // The district secretary's set: the key villages, or (none flagged) the villages with 监测户.
  const hasDistrict = secretaries.some((s) => s.post === 'district_secretary');
  const keyVillages = hasDistrict ? await em.find(Village, { key: true }, { orderBy: { town: 'ASC', name: 'ASC' } }) : [];
  const districtBasis = !hasDistrict || keyVillages.length ? 'key' : 'monitored';
  let districtVillages = keyVillages.map((v) => ({ town: v.town, village: v.name }));
  if (districtBasis === 'monitored') {
    const rows = await em.find(Household, { monitoringStatus: 'monitored' }, { fields: ['town', 'village'] as never });
    districtVillages = [...new Map(rows.map((h) => [`${h.town}/${h.village}`, { town: h.town, village: h.village }])).values()].sort((a, b) => a.town.localeCompare(b.town) || a.village.localeCompare(b.village));
  }

  // The towns' villages and households the town and village secretaries answer for.
  const towns = [...new Set(secretaries.filter((s) => s.town && POST_LEVELS[s.post as Post] !== 'district').map((s) => s.town!))];
  const villages = towns.length ? await em.find(Village, { town: { $in: towns } }, { orderBy: { town: 'ASC', name: 'ASC' } }) : [];
  const households: HouseholdRow[] = towns.length
    ? await em.find(Household, { town: { $in: towns }, $or: [{ monitoringStatus: 'monitored' }, { status: 'out_of_poverty' }] }, { fields: ['id', 'headName', 'town', 'village', 'status', 'monitoringStatus'] as never, orderBy: { village: 'ASC', id: 'ASC' } })
    : [];

  // Every visit step the secretaries completed in the year.
  const visits = new Map<string, Visit[]>();
  if (secretaries.length) {
    const steps = await em.find(
      Step,
      {
        status: 'done',
        completedBy: { $in: secretaries.map((s) => s.id) },
        completedAt: { $gte: beijingMidnight(`${year}-01-01`), $lt: beijingMidnight(`${year + 1}-01-01`) },
        $or: VISIT_STEPS,
      },
      { fields: ['completedBy', 'town', 'village', 'householdId'] as never },
    );
    for (const s of steps) visits.set(s.completedBy!, [...(visits.get(s.completedBy!) ?? []), { town: s.town, village: s.village, householdId: s.householdId ?? null }]);
  }

  const unitsOf = (s: (typeof secretaries)[number]): VisitUnit[] => {
    const post = s.post as Post;
    if (post === 'district_secretary') {
      return [...[...new Set(districtVillages.map((v) => v.town))].map(townUnit), ...districtVillages.map((v) => villageUnit(v.town, v.village))];
    }
    if (post === 'town_secretary') {
      return [
        ...villages.filter((v) => v.town === s.town).map((v) => villageUnit(v.town, v.name)),
        ...households.filter((h) => h.town === s.town && h.monitoringStatus === 'monitored').map(householdUnit),
      ];
    }
    return households.filter((h) => h.town === s.town && h.village === s.village).map(householdUnit);
  };

  const rows: SecretaryCoverage[] = secretaries.map((s) => {
    const units = unitsOf(s);
    const theirs = visits.get(s.id) ?? [];
    const unvisited = units.filter((u) => !visitedBy(u, theirs));
    const visited = units.length - unvisited.length;
    return {
      userId: s.id,
      name: s.name,
      post: s.post as Post,
      town: s.town ?? null,
      village: s.village ?? null,
      due: units.length,
      visited,
      coverage: units.length ? Math.round((visited / units.length) * 1000) / 10 : null,
      unvisited,
    };
  });
  return { year, districtBasis, secretaries: rows };
}
