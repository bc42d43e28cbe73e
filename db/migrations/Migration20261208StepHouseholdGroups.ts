import { Migration } from '@mikro-orm/migrations';

/**
 * Statistics by category and risk type without a join: each step keeps its household's monitoring
 * category and risk types (`household_category`, `household_risk_types`, the JSON text of the list),
 * written by the read model (activities/read-model.ts: a projected case's steps, and every step of a
 * household when an inclusion sets its category). Before, the open steps by category joined every
 * open step to its household: p95 300–530 ms at 100k households (docs/benchmarks.md). The open-steps
 * index leads with the status and the two groups and covers what a caller's scope reads and the
 * household id (steps of no household are left out of these groupings); the
 * household index serves the update at an inclusion. Existing steps are filled from their households.
 */
export class Migration20261208StepHouseholdGroups extends Migration {
  override async up(): Promise<void> {
    const sql = this.getKnex()
      .schema.alterTable('step', (t) => {
        t.string('household_category').nullable();
        t.text('household_risk_types').nullable();
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
    this.addSql(`update step set
      household_category = (select h.monitoring_category from household h where h.id = step.household_id),
      household_risk_types = (select cast(h.risk_types as text) from household h where h.id = step.household_id)
      where household_id is not null;`);
    this.addSql(
      'create index if not exists step_statistics_household_groups_index on step (status, household_category, household_risk_types, due_at, town, village, scope, assignee, team, department, household_id);',
    );
    this.addSql('create index if not exists step_household_id_index on step (household_id);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists step_household_id_index;');
    this.addSql('drop index if exists step_statistics_household_groups_index;');
    const sql = this.getKnex()
      .schema.alterTable('step', (t) => {
        t.dropColumn('household_risk_types');
        t.dropColumn('household_category');
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }
}
