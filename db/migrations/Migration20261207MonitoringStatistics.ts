import { Migration } from '@mikro-orm/migrations';

/**
 * District statistics (server/stats/): when a household's risk was eliminated and when it returned to
 * monitoring after an elimination (返贫), kept by the read model from the helper-assignment and
 * identification cases (activities/read-model.ts). Households eliminated before this migration keep an
 * empty date: they count as eliminated, not as eliminated in any period.
 * The indexes let the grouped counts read an index instead of the rows: households by area and status,
 * open steps by status and area (overdue / due soon by due time), and P2's assignment and visit steps.
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
    this.addSql('create index if not exists step_status_town_village_due_at_index on step (status, town, village, due_at);');
    this.addSql('create index if not exists step_process_type_step_key_town_index on step (process_type, step_key, town, village, status);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists step_process_type_step_key_town_index;');
    this.addSql('drop index if exists step_status_town_village_due_at_index;');
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
