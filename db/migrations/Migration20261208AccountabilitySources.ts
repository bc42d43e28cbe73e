import { Migration } from '@mikro-orm/migrations';

/**
 * 约谈/问责 records from two sources in one list (GET /api/accountability): those supervisors record, and
 * the 问责 of rectifications whose re-check judged a fix false or perfunctory (written by the read model),
 * with the towns and departments each concerns, which scope who reads it. Records made before keep empty
 * lists: only the district's supervision reads them.
 */
export class Migration20261208AccountabilitySources extends Migration {
  override async up(): Promise<void> {
    const sql = this.getKnex()
      .schema.alterTable('accountability_record', (t) => {
        t.string('source').notNullable().defaultTo('supervisor');
        t.json('towns').notNullable().defaultTo('[]');
        t.json('departments').notNullable().defaultTo('[]');
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }

  override async down(): Promise<void> {
    const sql = this.getKnex()
      .schema.alterTable('accountability_record', (t) => {
        t.dropColumn('departments');
        t.dropColumn('towns');
        t.dropColumn('source');
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }
}
