/**
 * Structured logs. The API's are Fastify's (pino: one JSON object a line with `reqId`); the worker's
 * go through this logger, also one JSON object a line, with the SDK's context fields (`workflowId`,
 * `runId`, `workflowType`, `activityType`, `taskQueue` …) as they come, so that one case can be followed
 * from the request that changed it to the activity that projected it.
 */
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import { DriverException } from '@mikro-orm/core';

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
  for (const [k, v] of Object.entries(meta)) out[k] = v instanceof Error ? { type: v.name, message: sqlWithoutValues(v, v.message), stack: sqlWithoutValues(v, v.stack ?? '') } : v;
  return out;
}

/** The statement keywords a failed statement's error message starts with (knex prefixes the message with the statement). */
const STATEMENT = /^\s*(?:select|insert|update|delete|with|pragma|begin|commit|rollback|savepoint|release|create|alter|drop)\b/i;

/** A driver's error as MikroORM converts it, or as `execute()` passes it on unconverted. */
function isFailedStatement(err: unknown): boolean {
  return err instanceof DriverException || (err instanceof Error && STATEMENT.test(err.message));
}

/**
 * The text of a failed statement's error (its message or stack) without the values in it. MikroORM 6
 * writes the values into the statement it runs, and the driver's error message starts with that
 * statement (`<statement> - <the database's message>`): API key prefixes and hashes, usernames, ID
 * numbers. Its string and number literals become `?`, as do quoted values the database's message
 * cites (`invalid input syntax for type integer: "…"`); names of tables and columns stay. Any other
 * error's text is returned as it is.
 */
export function sqlWithoutValues(err: unknown, text: string): string {
  if (!isFailedStatement(err)) return text;
  // String literals first (both dialects double a quote inside one; backslashes are plain or doubled):
  // one holding ' - ' must not be taken for the statement's end.
  const literalsOut = text.replace(/'(?:[^']|'')*'/g, '?');
  const cut = literalsOut.indexOf(' - ');
  const statement = cut < 0 ? literalsOut : literalsOut.slice(0, cut);
  const rest = cut < 0 ? '' : literalsOut.slice(cut);
  return statement.replace(/(?<![\w."])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w"])/gi, '?') + rest.replace(/: "(?:[^"\\]|\\.)*"/g, ': "?"');
}
