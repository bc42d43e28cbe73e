import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the inbox and overdue lists at scale (bench/list-queries.ts: 100,000 steps). Every list
 * is "open steps of my area / role / department, by due time": one index per way of narrowing it,
 * ending in (status, due_at) so the page and its count come from the index.
 */
export class Migration20261202StepListIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index if not exists step_town_village_status_due_at_index on step (town, village, status, due_at);');
    this.addSql('create index if not exists step_town_status_due_at_index on step (town, status, due_at);');
    this.addSql('create index if not exists step_department_status_due_at_index on step (department, status, due_at);');
    this.addSql('create index if not exists step_role_status_due_at_index on step (role, status, due_at);');
    // The inbox is "mine by role OR assigned to me": with both branches indexed the OR is two index look-ups.
    this.addSql('create index if not exists step_assignee_status_due_at_index on step (assignee, status, due_at);');
    // Covers the district-wide inbox (role OR assignee, no area): its count reads the index only.
    this.addSql('create index if not exists step_status_role_scope_assignee_due_at_index on step (status, role, scope, assignee, due_at);');
  }

  override async down(): Promise<void> {
    for (const name of ['step_town_village_status_due_at_index', 'step_town_status_due_at_index', 'step_department_status_due_at_index', 'step_role_status_due_at_index', 'step_assignee_status_due_at_index', 'step_status_role_scope_assignee_due_at_index']) {
      this.addSql(`drop index if exists ${name};`);
    }
  }
}
