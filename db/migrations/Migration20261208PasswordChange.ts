import { Migration } from '@mikro-orm/migrations';

/**
 * A user whose password an administrator set (a new account, a reset) must choose their own at the
 * next login: until then every call but the change and logout is refused (server/password-change.ts).
 */
export class Migration20261208PasswordChange extends Migration {
  override async up(): Promise<void> {
    const statements = this.getKnex()
      .schema.alterTable('app_user', (t) => {
        t.boolean('must_change_password').notNullable().defaultTo(false);
      })
      .toSQL();
    for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
  }
}
