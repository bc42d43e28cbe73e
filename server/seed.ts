/**
 * First-start data. `seedDemo` fills an empty database (no villages, no users) with the demo towns,
 * villages, accounts and invented households; `ensureAdmin` (SEED_DEMO=false) only creates `admin`.
 */
import type { Db } from '../db';
import { Household, User, Village } from '../db';
import { hashPassword } from './passwords';
import type { Services } from './services';
import { startProcess } from './processes/start';
import { DEMO_HOUSEHOLDS, DEMO_TOWNS, DEMO_USERS, demoVillageAt } from './demo-data';

/** Seeds the demo data once: only when the village and app_user tables are both empty. Returns whether it seeded. */
export async function seedDemo(db: Db, opts: { password: string }): Promise<boolean> {
  if (!opts.password) throw new Error('seedDemo: a demo password is required (DEMO_PASSWORD)');
  const em = db.em();
  const [villages, users] = await Promise.all([em.count(Village, {}), em.count(User, {})]);
  if (villages > 0 || users > 0) return false;
  // One salted hash per account (scrypt runs on the thread pool, so in parallel).
  const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(opts.password)));
  await em.transactional(async (tx) => {
    for (const t of DEMO_TOWNS) t.villages.forEach((v, i) => tx.create(Village, { town: t.town, name: v.name, key: v.key ?? false, ...demoVillageAt(t, i) }));
    DEMO_USERS.forEach((u, i) =>
      tx.create(User, {
        id: u.username,
        username: u.username,
        name: u.name,
        passwordHash: hashes[i],
        roles: [...u.roles],
        town: u.town ?? null,
        village: u.village ?? null,
        department: u.department ?? null,
        post: u.post ?? null,
      }),
    );
    for (const h of DEMO_HOUSEHOLDS) tx.create(Household, { ...h, lowIncomeGroups: [...h.lowIncomeGroups] });
  });
  return true;
}

/** For SEED_DEMO=false: an `admin` account (and nothing else) when none exists. Returns whether it created one. */
export async function ensureAdmin(db: Db, password: string): Promise<boolean> {
  const em = db.em();
  if (await em.findOne(User, { username: 'admin' })) return false;
  if (!password) throw new Error('ADMIN_PASSWORD is required when SEED_DEMO=false (no admin account exists yet)');
  em.create(User, { id: 'admin', username: 'admin', name: '系统管理员', passwordHash: await hashPassword(password), roles: ['admin'] });
  await em.flush();
  return true;
}

/**
 * A few running cases for the demo, started through the ordinary start path so they behave like any
 * other: two identifications in 统景镇荣光村 and 古路镇吉星村, waiting for home verification.
 */
export async function seedDemoCases(services: Services): Promise<string[]> {
  const system = { kind: 'user' as const, id: 'system', name: '演示数据 (demo)', roles: ['admin' as const] };
  const cases = [
    { householdId: 'H00000003', channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '户主突发重病住院，医疗自付费用较高（演示数据）' },
    { householdId: 'H00000006', channel: 'self_report', category: 'sudden_hardship', riskTypes: ['disaster', 'housing'], description: '暴雨导致房屋受损，家庭收入骤减（演示数据）' },
  ];
  const ids: string[] = [];
  for (const input of cases) ids.push((await startProcess(services, system, 'identification', input)).id);
  return ids;
}
