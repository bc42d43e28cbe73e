import { Migration } from '@mikro-orm/migrations';

/**
 * Login failures counted per username, known or not (login_throttle), instead of on the user row
 * (app_user.failed_logins / locked_until), which let a lock tell that a username exists.
 */
export class Migration20261207LoginThrottle extends Migration {
  override async up(): Promise<void> {
    const ts = { useTz: true, precision: 3 };
    const statements = this.getKnex()
      .schema.createTable('login_throttle', (t) => {
        t.string('username').primary();
        t.integer('failures').notNullable();
        t.datetime('last_failed_at', ts).notNullable().index();
        t.datetime('locked_until', ts).nullable();
      })
      .toSQL();
    for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
    // Both databases drop a column in place (SQLite since 3.35).
    this.addSql('alter table "app_user" drop column "failed_logins"');
    this.addSql('alter table "app_user" drop column "locked_until"');
  }
}
