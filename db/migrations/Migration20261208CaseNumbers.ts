import { Migration } from '@mikro-orm/migrations';
import { caseCounterKey, formatCaseNumber } from '../../contracts/case-number';

/**
 * Human case numbers (`认定-2026-0012`, contracts/case-number.ts): case_number holds each case's, and
 * case_counter the last one taken per process and year. The cases already in the read model are
 * numbered here, by start time.
 */
export class Migration20261208CaseNumbers extends Migration {
  override async up(): Promise<void> {
    const sql = this.getKnex()
      .schema.createTable('case_number', (t) => {
        t.string('process_id').primary();
        t.string('case_no').notNullable().unique();
      })
      .createTable('case_counter', (t) => {
        t.string('key').primary();
        t.integer('n').notNullable();
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);

    const rows = (await this.execute('select id, type, started_at from process order by started_at, id')) as { id: string; type: string; started_at: unknown }[];
    const counters = new Map<string, number>();
    const knex = this.getKnex();
    for (const r of rows) {
      const key = caseCounterKey(r.type, new Date(r.started_at as string | number | Date));
      const n = (counters.get(key) ?? 0) + 1;
      counters.set(key, n);
      this.addSql(knex('case_number').insert({ process_id: r.id, case_no: formatCaseNumber(key, n) }).toString());
    }
    for (const [key, n] of counters) this.addSql(knex('case_counter').insert({ key, n }).toString());
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists case_counter;');
    this.addSql('drop table if exists case_number;');
  }
}
