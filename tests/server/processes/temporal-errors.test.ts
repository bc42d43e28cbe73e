/**
 * Temporal's answers as the API's statuses (server/processes/temporal-errors.ts through server/errors.ts):
 * the workflow's refusals by their failure type, a closed or unknown case, the engine out of reach, and
 * anything else a 500 whose body never carries Temporal's (or anyone's) raw message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { FAILURE } from '../../../contracts/steps';
import { fromTemporal } from '../../../server/processes/temporal-errors';
import { registerErrorHandler } from '../../../server/errors';

const SECRET = 'grpc 10.0.0.7:7233 internal detail';
const refusedBy = (type: string) => new WorkflowUpdateFailedError('update failed', ApplicationFailure.create({ type, message: `工作流拒绝 ${type}`, nonRetryable: true }));

const CASES: { name: string; err: unknown; status: number; message?: RegExp }[] = [
  { name: 'a rule', err: refusedBy(FAILURE.rule), status: 422, message: /工作流拒绝/ },
  { name: 'a conflict', err: refusedBy(FAILURE.conflict), status: 409 },
  { name: 'a step or case not found', err: refusedBy(FAILURE.notFound), status: 404 },
  { name: 'a forbidden actor', err: refusedBy(FAILURE.forbidden), status: 403 },
  { name: "another refusal of the workflow's own code", err: refusedBy('SomethingElse'), status: 422 },
  { name: 'an update lost by the worker', err: new WorkflowUpdateFailedError('update failed', new CancelledFailure(SECRET)), status: 503, message: /暂不可用|未完成/ },
  { name: 'an update call that timed out', err: new WorkflowUpdateRPCTimeoutOrCancelledError(SECRET), status: 503, message: /暂不可用/ },
  { name: 'a closed case', err: new WorkflowNotFoundError(`workflow execution already completed (${SECRET})`, 'p-1', undefined), status: 409, message: /已结束/ },
  { name: 'an unknown case', err: new WorkflowNotFoundError(SECRET, 'p-1', undefined), status: 404 },
  { name: 'Temporal out of reach', err: Object.assign(new Error(`14 UNAVAILABLE: ${SECRET}`), { code: 14 }), status: 503, message: /流程引擎暂不可用/ },
  { name: 'a call past its deadline', err: Object.assign(new Error(`4 DEADLINE_EXCEEDED: ${SECRET}`), { code: 4 }), status: 503, message: /流程引擎暂不可用/ },
  { name: 'anything else', err: new Error(SECRET), status: 500 },
  { name: 'a thrown non-error', err: SECRET, status: 500 },
];

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({ logger: false });
  registerErrorHandler(app);
  app.get<{ Params: { i: string } }>('/fail/:i', async (request) => {
    throw fromTemporal(CASES[Number(request.params.i)]!.err);
  });
  await app.ready();
});

afterAll(() => app.close());

describe('Temporal failures as API answers', () => {
  CASES.forEach((c, i) =>
    it(`${c.name}: ${c.status}`, async () => {
      const res = await app.inject({ method: 'GET', url: `/fail/${i}` });
      expect(res.statusCode).toBe(c.status);
      const body = res.json();
      expect(body.error.message).toBeTruthy();
      if (c.message) expect(body.error.message).toMatch(c.message);
      if (c.status >= 500) {
        expect(res.body).not.toContain(SECRET);
        expect(res.body).not.toContain('grpc');
      }
    }),
  );

  it('a 500 says only that something went wrong', async () => {
    const res = await app.inject({ method: 'GET', url: `/fail/${CASES.length - 2}` });
    expect(res.json()).toEqual({ error: { code: 'internal', message: '服务器内部错误 (internal error)', details: [] } });
  });
});
