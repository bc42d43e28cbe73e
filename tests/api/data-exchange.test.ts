/**
 * Department data exchange (issue 20) over HTTP: single alerts from every department of plan item 47,
 * batches from a department matched against the register, the warnings' verification steps in the village
 * cadres' inbox, confirming and dismissing them, the department's feedback, redelivery and department binding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, createKey, eventually, newHousehold, randomIdNumber, withKey } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

describe('single department alerts', () => {
  it('accepts 区残联 and 区统计局 (plan item 47) like every other department', async () => {
    for (const department of ['区残联', '区统计局']) {
      const hh = await newHousehold(t, RONGGUANG);
      const res = await t.call('admin', { method: 'POST', url: '/api/alerts', payload: { householdId: hh.id, department, riskTypes: ['disability'], description: `${department}比对发现风险` } });
      expect(res.statusCode, res.body).toBe(201);
      const detail = await t.call('admin', { method: 'GET', url: `/api/processes/${encodeURIComponent(res.json().processId)}` });
      expect(detail.json().state.data.request.alert.department).toBe(department);
    }
  });
});
