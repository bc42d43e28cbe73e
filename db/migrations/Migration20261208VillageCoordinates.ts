import { Migration } from '@mikro-orm/migrations';

/** Villages get an optional position (issue 22): a photo taken far from its village is flagged to the reviewer. */
export class Migration20261208VillageCoordinates extends Migration {
  override async up(): Promise<void> {
    const statements = this.getKnex()
      .schema.alterTable('village', (t) => {
        t.double('latitude').nullable();
        t.double('longitude').nullable();
      })
      .toSQL();
    for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
  }
}
