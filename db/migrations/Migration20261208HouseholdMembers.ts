import { Migration } from '@mikro-orm/migrations';

/** 家庭成员 (db/entities/household-member.entity.ts): members of the registered households. */
export class Migration20261208HouseholdMembers extends Migration {
  override async up(): Promise<void> {
    const sql = this.getKnex()
      .schema.createTable('household_member', (t) => {
        t.increments('id').primary();
        t.string('household_id').notNullable().index();
        t.string('name').notNullable();
        t.string('id_number').notNullable().unique();
        t.string('relation').notNullable();
        t.boolean('student').notNullable().defaultTo(false);
        t.integer('disability_grade').nullable();
        t.string('labour_capacity').notNullable().defaultTo('full');
        t.boolean('insured').notNullable().defaultTo(true);
        t.datetime('created_at').notNullable();
        t.datetime('updated_at').notNullable();
      })
      .toSQL();
    for (const q of Array.isArray(sql) ? sql : [sql]) this.addSql(q.sql);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists household_member;');
  }
}
