// Proves that the Temporal servers the test run uses are real servers, not mocks:
// the CLI dev server started by tests/setup/temporal-global-setup.ts, and the
// Java time-skipping test server launched by @temporalio/testing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';

describe('Temporal dev server (temporal server start-dev)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
  });

  afterAll(async () => {
    await connection?.close();
  });

  it('answers GetSystemInfo', async () => {
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.capabilities).toBeTruthy();
  });

  it('serves the default namespace', async () => {
    const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(ns.namespaceInfo?.name).toBe('default');
  });
});

describe('Java time-skipping test server (io.temporal:temporal-test-server)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('supports time skipping', () => {
    expect(env.supportsTimeSkipping).toBe(true);
  });

  it('skips 30 days of server time', async () => {
    const thirtyDaysMs = 30 * 24 * 60 * 60 * 1000;
    const before = await env.currentTimeMs();
    await env.sleep('30 days');
    const after = await env.currentTimeMs();
    expect(after - before).toBeGreaterThanOrEqual(thirtyDaysMs);
    expect(after - before).toBeLessThan(thirtyDaysMs + 60 * 60 * 1000);
  });
});
