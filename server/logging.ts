/**
 * Structured logs. The API's are Fastify's (pino: one JSON object a line with `reqId`); the worker's
 * go through this logger, also one JSON object a line, with the SDK's context fields (`workflowId`,
 * `runId`, `workflowType`, `activityType`, `taskQueue` …) as they come, so that one case can be followed
 * from the request that changed it to the activity that projected it.
 */
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

const LEVEL_NUMBER: Record<string, number> = { TRACE: 10, DEBUG: 20, INFO: 30, WARN: 40, ERROR: 50 };

export function jsonWorkerLogger(level: LogLevel = 'WARN'): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const line = {
      level: LEVEL_NUMBER[entry.level] ?? 30,
      time: Math.round(Number(entry.timestampNanos / 1_000_000n)),
      name: 'worker',
      msg: entry.message,
      ...safeMeta(entry.meta),
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  });
}

function safeMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!meta) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) out[k] = v instanceof Error ? { type: v.name, message: v.message, stack: v.stack } : v;
  return out;
}
