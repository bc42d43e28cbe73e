import { Migration } from '@mikro-orm/migrations';

/** Steps for a team of two (P5 visits): both members' ids, so the second member's inbox finds it too. */
export class Migration20261203StepTeam extends Migration {
  override async up(): Promise<void> {
    const sql = this.getKnex()
      .schema.alterTable('step', (t) => {
        t.string('team').nullable();
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }
}
