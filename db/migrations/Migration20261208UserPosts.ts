import { Migration } from '@mikro-orm/migrations';

/** 职务 (contracts/posts.ts): a user's post for the secretaries' annual 遍访 (plan item 4); none for most users. */
export class Migration20261208UserPosts extends Migration {
  override async up(): Promise<void> {
    const sql = this.getKnex()
      .schema.alterTable('app_user', (t) => {
        t.string('post').nullable();
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }

  override async down(): Promise<void> {
    const sql = this.getKnex()
      .schema.alterTable('app_user', (t) => {
        t.dropColumn('post');
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }
}
