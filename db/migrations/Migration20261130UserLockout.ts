import { Migration } from '@mikro-orm/migrations';

/** Login lockout kept in the database (so every API instance sees it): consecutive failures and the lock's end. */
export class Migration20261130UserLockout extends Migration {
  override async up(): Promise<void> {
    const statements = this.getKnex()
      .schema.alterTable('app_user', (t) => {
        t.integer('failed_logins').notNullable().defaultTo(0);
        t.datetime('locked_until', { useTz: true, precision: 3 }).nullable();
      })
      .toSQL();
    for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
  }
}
