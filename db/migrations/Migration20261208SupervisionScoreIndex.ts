import { Migration } from '@mikro-orm/migrations';

/**
 * The year's supervision scores (server/supervision/scores.ts) count the steps due in the year by town
 * (steps of no department) and by department: an index led by the department and the due time that
 * covers what the counts read (status, town, completion time). Before, the town counts searched
 * `step_town_status_due_at_index` and read every step due in the year from the table
 * (EXPLAIN QUERY PLAN in docs/benchmarks.md, "Statistics").
 */
export class Migration20261208SupervisionScoreIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index if not exists step_scores_due_index on step (department, due_at, status, town, completed_at);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists step_scores_due_index;');
  }
}
