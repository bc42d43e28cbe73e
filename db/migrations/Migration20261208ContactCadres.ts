import { Migration } from '@mikro-orm/migrations';

/**
 * 包户干部 (contact cadres): the household's current contact cadre (a user id and name, and since
 * when) and the history of who named or changed it (db/entities/contact-cadre-change.entity.ts).
 */
export class Migration20261208ContactCadres extends Migration {
  override async up(): Promise<void> {
    const statements = [
      this.getKnex().schema.alterTable('household', (t) => {
        t.string('contact_cadre_id').nullable().index();
        t.string('contact_cadre_name').nullable();
        t.datetime('contact_cadre_since').nullable();
      }),
      this.getKnex().schema.createTable('contact_cadre_change', (t) => {
        t.increments('id').primary();
        t.string('household_id').notNullable().index();
        t.string('from_id').nullable();
        t.string('from_name').nullable();
        t.string('to_id').notNullable();
        t.string('to_name').notNullable();
        t.string('by_id').notNullable();
        t.string('by_name').notNullable();
        t.string('reason').nullable();
        t.datetime('at').notNullable();
      }),
    ];
    for (const s of statements) {
      const sql = s.toSQL();
      for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists contact_cadre_change;');
    const sql = this.getKnex()
      .schema.alterTable('household', (t) => {
        t.dropIndex(['contact_cadre_id']);
        t.dropColumn('contact_cadre_since');
        t.dropColumn('contact_cadre_name');
        t.dropColumn('contact_cadre_id');
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }
}
