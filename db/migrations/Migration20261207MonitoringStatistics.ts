import { Migration } from '@mikro-orm/migrations';

/**
 * District statistics (server/stats/): when a household's risk was eliminated and when it returned to
 * monitoring after an elimination (返贫), kept by the read model from the helper-assignment and
 * identification cases (activities/read-model.ts). Households eliminated before this migration keep an
 * empty date: they count as eliminated, not as eliminated in any period.
 * The indexes let the grouped counts read an index instead of the rows: households by area and status,
 * open steps by status and area with what a caller's scope reads (scope, assignee, team, department:
 * a town officer's "own town or assigned to me" has an OR no single index answers), P2's visits by the time they opened
 * and its assignments by the time they were done (both read for a period only), and open steps by
 * household for the groupings by category and risk type (joined to the household).
 */
export class Migration20261207MonitoringStatistics extends Migration {
  override async up(): Promise<void> {
    const sql = this.getKnex()
      .schema.alterTable('household', (t) => {
        t.string('eliminated_on').nullable();
        t.string('returned_on').nullable();
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
    this.addSql(
      'create index if not exists household_statistics_index on household (town, village, monitoring_status, monitoring_category, monitored_since, eliminated_on, returned_on);',
    );
    this.addSql('create index if not exists step_statistics_open_index on step (status, town, village, due_at, scope, assignee, team, department);');
    this.addSql('create index if not exists step_statistics_opened_index on step (process_type, step_key, opened_at, status, due_at, town, village, household_id);');
    this.addSql('create index if not exists step_statistics_completed_index on step (process_type, step_key, status, completed_at, due_at, town, village, household_id);');
    this.addSql('create index if not exists step_status_household_due_at_index on step (status, household_id, due_at);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists step_status_household_due_at_index;');
    this.addSql('drop index if exists step_statistics_completed_index;');
    this.addSql('drop index if exists step_statistics_opened_index;');
    this.addSql('drop index if exists step_statistics_open_index;');
    this.addSql('drop index if exists household_statistics_index;');
    const sql = this.getKnex()
      .schema.alterTable('household', (t) => {
        t.dropColumn('returned_on');
        t.dropColumn('eliminated_on');
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }
}
