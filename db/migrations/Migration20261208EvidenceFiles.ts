import { Migration } from '@mikro-orm/migrations';

/** Evidence uploads (issue 22): one row per upload; the bytes are in the file store under sha256. */
export class Migration20261208EvidenceFiles extends Migration {
  override async up(): Promise<void> {
    const ts = { useTz: true, precision: 3 };
    const statements = this.getKnex()
      .schema.createTable('evidence_file', (t) => {
        t.string('id').primary();
        t.string('sha256').notNullable().index();
        t.string('name').notNullable();
        t.string('content_type').notNullable();
        t.integer('size').notNullable();
        t.string('uploaded_by').notNullable();
        t.string('uploaded_by_name').notNullable();
        t.datetime('uploaded_at', ts).notNullable().index();
        t.datetime('taken_at', ts).nullable();
        t.double('latitude').nullable();
        t.double('longitude').nullable();
        t.string('thumbnail_sha256').nullable();
        t.json('attached_to').notNullable().defaultTo('[]');
        t.datetime('attached_at', ts).nullable();
      })
      .toSQL();
    for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
  }
}
