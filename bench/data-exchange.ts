/**
 * Department data exchange benchmark (not part of the test suite): a batch of BENCH_RECORDS (50,000)
 * records matched against a register of BENCH_HOUSEHOLDS (20,000) households with three members each,
 * inserted directly into a fresh read model. Times the intake (set-based matching of heads and members,
 * the rules, storing batch and records: what `POST /api/data-exchange/batches` does before it starts the
 * batch's workflow) and the workflow's database work over every chunk (the follow-up activity that marks
 * warnings and lists the verifications to open). Goal: the whole batch in under a minute.
 * Then the same records as a department's CSV upload (the console's path: the file read a row at a time,
 * checked cell by cell, matched and stored as a second batch), with the heap before and after.
 *
 *   npx tsx bench/data-exchange.ts
 *   BENCH_RECORDS=50000 BENCH_HOUSEHOLDS=20000 npx tsx bench/data-exchange.ts
 *   DATABASE_URL=postgresql://… npx tsx bench/data-exchange.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { Household } from '../db';
import { loadTemporalConfig } from '../server/config';
import { createServices } from '../server/services';
import { seedDemo } from '../server/seed';
import { storeBatch } from '../server/data-exchange/intake';
import { dataVerificationActivities } from '../processes/data-verification/activities';
import { recordsOfFile } from '../server/data-exchange/upload';
import { validateAgainst } from '../server/processes/validate';
import { BatchBody, type ExchangeRecordInput } from '../server/data-exchange/schemas';

const RECORDS = Number(process.env.BENCH_RECORDS || 50_000);
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS || 20_000);
/** As the batch workflow walks them (processes/data-verification/workflows.ts). */
const CHUNK = 500;

let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const idOf = (n: number) => `5001121960${String(n).padStart(8, '0')}`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fangfan-bench-exchange-'));
  // The intake and the activity read and write the read model only: a client that never connects stands in for Temporal.
  const services = await createServices({ database: process.env.DATABASE_URL || join(dir, 'read.sqlite'), temporal: { ...loadTemporalConfig({}), taskQueue: 'bench', client: new Client() }, sessionHours: 1 });
  const { db } = services;
  await seedDemo(db, { password: 'bench1234' });

  let t0 = Date.now();
  for (let i = 0; i < HOUSEHOLDS; i += 1000) {
    const now = new Date();
    const batch = Array.from({ length: Math.min(1000, HOUSEHOLDS - i) }, (_, j) => i + j);
    await db.em().insertMany(
      Household,
      batch.map((n) => ({ id: `X${String(n).padStart(8, '0')}`, headName: `样本${n}`, idNumber: idOf(n * 4), phone: null, town: '统景镇', village: '荣光村', memberCount: 4, status: 'ordinary', lowIncomeGroups: [], monitoringStatus: n % 10 === 0 ? 'monitored' : 'none', riskTypes: [], housingStatus: 'unknown', caseSeq: 0, createdAt: now, updatedAt: now })) as never,
    );
    const members = batch.flatMap((n) => [1, 2, 3].map((m) => ({ household_id: `X${String(n).padStart(8, '0')}`, name: `成员${n}-${m}`, id_number: idOf(n * 4 + m), relation: 'child', student: false, labour_capacity: 'full', insured: true, created_at: now, updated_at: now })));
    for (let m = 0; m < members.length; m += 250) await db.em().getKnex()('household_member').insert(members.slice(m, m + 250));
  }
  console.log(`register: ${HOUSEHOLDS} households, ${HOUSEHOLDS * 3} members in ${Date.now() - t0} ms`);

  // Four in five records are in the register (heads or members); one in twenty sets a rule off.
  const records: ExchangeRecordInput[] = Array.from({ length: RECORDS }, (_, i) => {
    const known = rnd() < 0.8;
    // Each person once (7 is prime to the register's 4 × HOUSEHOLDS numbers), the unknown ones beyond the register.
    const idNumber = known ? idOf((i * 7) % (HOUSEHOLDS * 4)) : idOf(HOUSEHOLDS * 4 + i);
    return { idNumber, name: `人员${i}`, ...(rnd() < 0.05 ? { disabilityGrade: 2 } : { perCapitaIncome: 20_000 }) };
  });
  const admin = { kind: 'user' as const, id: 'admin', name: '系统管理员', roles: ['admin' as const] };

  t0 = Date.now();
  const summary = await storeBatch(services, admin, { department: '区残联', kind: '基准测试', records }, { key: `bench-${Date.now()}`, source: 'api' });
  const intake = Date.now() - t0;
  console.log(`intake: ${JSON.stringify(summary)} in ${intake} ms`);

  const acts = dataVerificationActivities({ db });
  t0 = Date.now();
  let verifications = 0;
  for (let from = 1; from <= RECORDS; from += CHUNK) {
    verifications += (await acts.followUpExchangeRecords({ batchId: summary.id, from, to: Math.min(RECORDS, from + CHUNK - 1) })).length;
    await acts.recordExchangeProgress({ batchId: summary.id, processed: Math.min(RECORDS, from + CHUNK - 1), done: from + CHUNK > RECORDS });
  }
  const followUp = Date.now() - t0;
  console.log(`follow-up: ${Math.ceil(RECORDS / CHUNK)} chunks, ${verifications} verifications to open in ${followUp} ms`);
  console.log(`total: ${intake + followUp} ms for ${RECORDS} records (${db.kind})`);

  // The same list as a CSV upload: read a row at a time, each cell checked, then matched and stored.
  const csv = Buffer.from(['身份证号,姓名,残疾等级,人均纯收入', ...records.map((r) => `${r.idNumber},${r.name},${r.disabilityGrade ?? ''},${r.perCapitaIncome ?? ''}`)].join('\r\n'));
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  t0 = Date.now();
  const fromFile = await recordsOfFile(csv, '基准测试.csv');
  const body = { department: '区残联' as const, kind: '基准测试上传', records: fromFile };
  validateAgainst(BatchBody, body, '');
  const read = Date.now() - t0;
  const heapRead = process.memoryUsage().heapUsed;
  const uploaded = await storeBatch(services, admin, body, { key: `bench-upload-${Date.now()}`, source: 'upload' });
  const upload = Date.now() - t0;
  console.log(`csv upload: ${mb(csv.length)}, ${fromFile.length} rows read and checked in ${read} ms (heap ${mb(heapBefore)} → ${mb(heapRead)}); with intake ${JSON.stringify(uploaded)} in ${upload} ms`);
  await services.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
