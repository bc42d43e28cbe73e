import { Migration } from '@mikro-orm/migrations';

/** Policy versions (server/policy-versions.ts): the values in force live here; the policy file seeds version 1. */
export class Migration20261206PolicyVersions extends Migration {
  override async up(): Promise<void> {
    const ts = { useTz: true, precision: 3 };
    const statements = this.getKnex()
      .schema.createTable('policy_version', (t) => {
        t.text('id').primary();
        t.integer('version').notNullable().unique();
        t.text('status').notNullable().index();
        t.text('effective_from').notNullable();
        t.json('values').notNullable();
        t.text('digest').notNullable();
        t.text('created_by').notNullable();
        t.text('created_by_name').notNullable();
        t.datetime('created_at', ts).notNullable();
        t.text('note').notNullable();
        t.text('activated_by').nullable();
        t.text('activated_by_name').nullable();
        t.datetime('activated_at', ts).nullable().index();
      })
      .toSQL();
    for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
  }
}
