import { Migration } from '@mikro-orm/migrations';

/**
 * The year's supervision scores (server/supervision/scores.ts) count the steps due in the year by town
 * (steps of no department) and by department, for every unit (the district) or a town's or a
 * department's own: an index led by the town and the department, then the due time, covering what the
 * counts read (status, completion time). Before, the counts searched `step_town_status_due_at_index`
 * and read every step due in the year from the table. Reopened fixes (a rectification's second and
 * later fix) get a partial index of their own: the counts read them by town and department, and the
 * index of steps by process, key and opening time led to every fix's row (EXPLAIN QUERY PLAN in
 * docs/benchmarks.md, "Supervision scores").
 */
export class Migration20261208SupervisionScoreIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index if not exists step_scores_due_index on step (town, department, due_at, status, completed_at);');
    this.addSql(
      "create index if not exists step_reopened_fix_index on step (process_type, step_key, opened_at, town, department) where process_type = 'rectification' and step_key = 'fix' and step_id <> 'fix-1';",
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists step_reopened_fix_index;');
    this.addSql('drop index if exists step_scores_due_index;');
  }
}
