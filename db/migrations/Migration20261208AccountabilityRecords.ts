import { Migration } from '@mikro-orm/migrations';

/** 约谈 and 问责 records (db/entities/accountability-record.entity.ts; server/supervision/records.ts). */
export class Migration20261208AccountabilityRecords extends Migration {
  override async up(): Promise<void> {
    const sql = this.getKnex()
      .schema.createTable('accountability_record', (t) => {
        t.string('id').primary();
        t.string('kind').notNullable();
        t.string('target').notNullable();
        t.text('reason').notNullable();
        t.string('decided_on').notNullable().index('accountability_record_decided_on_index');
        t.text('measure').notNullable();
        t.json('process_ids').notNullable();
        t.string('recorded_by').notNullable();
        t.string('recorded_by_name').notNullable();
        t.datetime('created_at').notNullable().index('accountability_record_created_at_index');
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists accountability_record;');
  }
}
