/**
 * What every statistics query shares: the period and grouping a caller asked for, how a grouping reads
 * a household or step row (its columns, and the group keys one row counts in), and a scoped, grouped
 * SQL query on the read model (the caller's scope as MikroORM conditions, the sums as plain SQL that
 * means the same on SQLite and PostgreSQL).
 */
import type { Knex } from '@mikro-orm/knex';
import type { FilterQuery } from '@mikro-orm/core';
import { Household, Step, type EntityManager } from '../../db';
import { addDays } from '../../calendar/dates';
import type { Where } from '../lists';

export const GROUP_BYS = ['town', 'village', 'category', 'riskType'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** A period of whole days (Beijing time), both ends included, and the instants that bound it. */
export interface Period {
  from: string;
  to: string;
  /** 00:00 Beijing time on `from`. */
  start: Date;
  /** 00:00 Beijing time on the day after `to`. */
  end: Date;
}

export const beijingMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);
export const period = (from: string, to: string): Period => ({ from, to, start: beijingMidnight(from), end: beijingMidnight(addDays(to, 1)) });

/** The key of the group of households or steps without a category or risk type (not (yet) monitored). */
export const NONE = 'none';

/** A grouping: the columns it reads (as `g0`, `g1`), and the keys a row with those values counts under. */
interface Dimension {
  columns: string[];
  keys(row: Record<string, unknown>): string[];
}

function riskTypeKeys(text: unknown): string[] {
  let types: unknown;
  try {
    types = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    types = [];
  }
  // A household with several risk types counts once under each.
  return Array.isArray(types) && types.length ? [...new Set(types.map(String))] : [NONE];
}

/**
 * `alias` is the table counted (household `h`, or step `s`). A step's category and risk types are its
 * household's, copied onto the step by the read model (`household_category`, `household_risk_types`):
 * no join, so an index answers (Migration20261208StepHouseholdGroups).
 */
export function dimension(groupBy: GroupBy, alias: 'h' | 's'): Dimension {
  switch (groupBy) {
    case 'town':
      return { columns: [`${alias}.town`], keys: (r) => [String(r.g0)] };
    case 'village':
      return { columns: [`${alias}.town`, `${alias}.village`], keys: (r) => [`${r.g0}/${r.g1}`] };
    case 'category':
      return { columns: [alias === 'h' ? 'h.monitoring_category' : 's.household_category'], keys: (r) => [r.g0 ? String(r.g0) : NONE] };
    case 'riskType':
      // Grouped by the whole list (a few distinct lists), split into its types here.
      return { columns: [alias === 'h' ? 'cast(h.risk_types as text)' : 's.household_risk_types'], keys: (r) => riskTypeKeys(r.g0) };
  }
}

/**
 * `select <group columns>, <sums> from <table> where <scope and conditions> group by <group columns>`
 * (by category or risk type, steps of no household are left out). Rows come back with `g0`, `g1`… (the
 * grouping's columns); the counts by the names `sums` gives them, as numbers.
 */
export async function groupedCounts(
  em: EntityManager,
  table: 'household' | 'step',
  groupBy: GroupBy,
  where: Where,
  sums: Record<string, [sql: string, params?: unknown[]]>,
): Promise<{ keys: string[]; counts: Record<string, number> }[]> {
  const alias = table === 'household' ? 'h' : 's';
  const dim = dimension(groupBy, alias);
  const qb = table === 'household' ? em.createQueryBuilder(Household, 'h') : em.createQueryBuilder(Step, 's');
  const query: Knex.QueryBuilder = qb
    .where(where as FilterQuery<never>)
    .getKnexQuery()
    .clearSelect();
  const knex = em.getKnex();
  if (table === 'step' && (groupBy === 'category' || groupBy === 'riskType')) query.whereNotNull('s.household_id');
  query.select(dim.columns.map((c, i) => knex.raw(`${c} as g${i}`)));
  // Aliased s0, s1…: PostgreSQL folds unquoted names to lower case.
  const names = Object.keys(sums);
  names.forEach((name, i) => {
    const [sql, params] = sums[name];
    query.select(knex.raw(`sum(case when ${sql} then 1 else 0 end) as s${i}`, (params ?? []) as Knex.ValueDict[]));
  });
  query.groupByRaw(dim.columns.join(', '));
  const rows = (await em.getConnection().execute(query)) as Record<string, unknown>[];
  return rows.map((row) => ({
    keys: dim.keys(row),
    counts: Object.fromEntries(names.map((name, i) => [name, Number(row[`s${i}`] ?? 0)])),
  }));
}

/** A datetime as a query parameter, stored the way the database keeps it (SQLite: epoch ms). */
export const instant = (em: EntityManager, d: Date) => em.getPlatform().processDateProperty(d) as unknown;
