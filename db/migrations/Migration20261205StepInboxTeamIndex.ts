import { Migration } from '@mikro-orm/migrations';

/**
 * The district-wide inbox (`mine` with no area: "role OR assigned to me OR my team's", scope.ts
 * stepsICanComplete) counted its rows from step_status_role_scope_assignee_due_at_index alone until
 * the team branch (Migration20261203StepTeam) read `team`, which that index lacks: the count then
 * looked up the row of every open step (bench/list-queries.ts, supervisor: 1.6 → 64 ms for the SQL
 * alone). The same index with `team` covers it again; the old one is a prefix of it and goes.
 */
export class Migration20261205StepInboxTeamIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index if not exists step_status_role_scope_assignee_team_due_at_index on step (status, role, scope, assignee, team, due_at);');
    this.addSql('drop index if exists step_status_role_scope_assignee_due_at_index;');
  }

  override async down(): Promise<void> {
    this.addSql('create index if not exists step_status_role_scope_assignee_due_at_index on step (status, role, scope, assignee, due_at);');
    this.addSql('drop index if exists step_status_role_scope_assignee_team_due_at_index;');
  }
}
