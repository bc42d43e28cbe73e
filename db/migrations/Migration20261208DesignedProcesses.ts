import { Migration } from '@mikro-orm/migrations';

/** Designed (BPMN) process definitions (db/entities/process-definition.entity.ts): one row per version of a key. */
export class Migration20261208DesignedProcesses extends Migration {
  override async up(): Promise<void> {
    const ts = { useTz: true, precision: 3 };
    const statements = this.getKnex()
      .schema.createTable('process_definition', (t) => {
        t.text('id').primary();
        t.text('key').notNullable().index();
        t.integer('version').notNullable();
        t.text('status').notNullable().index();
        t.text('title_zh').notNullable();
        t.text('title_en').notNullable();
        t.text('bpmn').notNullable();
        t.json('forms').notNullable();
        t.json('start_roles').notNullable();
        t.text('start_form').nullable();
        t.json('model').notNullable();
        t.text('created_by').notNullable();
        t.text('created_by_name').notNullable();
        t.datetime('created_at', ts).notNullable();
        t.text('published_by').nullable();
        t.datetime('published_at', ts).nullable();
        t.unique(['key', 'version']);
      })
      .toSQL();
    for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists process_definition;');
  }
}
