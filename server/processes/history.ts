/**
 * The audit timeline of a case, read from Temporal's own event history: who started it, every step
 * completed (with the actor the API vouched for), every signal, deadlines that passed, a reset that
 * repaired it, how it ended.
 */
import Type, { type Static } from 'typebox';
import type { Client } from '@temporalio/client';
import { arrayFromPayloads, defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { processType } from '../../processes';
import type { CompleteStepArgs, EvidenceRef, SignalEnvelope, CancelArgs } from '../../contracts/steps';
import { DEFAULT_EVIDENCE_POLICY } from '../../policy/evidence';

export const HistoryEntrySchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  kind: Type.Union([Type.Literal('started'), Type.Literal('step'), Type.Literal('signal'), Type.Literal('cancel'), Type.Literal('deadline'), Type.Literal('repaired'), Type.Literal('closed')]),
  actor: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() })),
  step: Type.Optional(Type.String()),
  signal: Type.Optional(Type.String()),
  decision: Type.Optional(Type.String({ description: 'For a step: the decision code of its form (`decision` or `result`), when it has one' })),
  files: Type.Optional(
    Type.Array(
      Type.Object({
        field: Type.String(),
        id: Type.String(),
        sha256: Type.String(),
        takenAt: Type.Optional(Type.String({ format: 'date-time', description: 'when the photo was taken (EXIF)' })),
        flags: Type.Optional(
          Type.Array(
            Type.Union([
              Type.Object({ rule: Type.Literal('takenBeforeStep'), takenAt: Type.String({ format: 'date-time' }), days: Type.Integer({ description: 'days before the step opened' }) }),
              Type.Object({ rule: Type.Literal('farFromVillage'), km: Type.Number({ description: "from the case's village" }) }),
            ]),
            { description: "for the reviewer's attention (the policy's evidence limits), never a refusal" },
          ),
        ),
      }),
      {
      description: 'For the start, a step or a report: the uploaded files its form used, with the SHA-256 of their bytes as the case received them',
    }),
  ),
  summary: Type.String(),
});
export type HistoryEntry = Static<typeof HistoryEntrySchema>;

type Event = temporal.api.history.v1.IHistoryEvent;

/**
 * A step's file as the history shows it, with its flags. A step completed before flags were recorded
 * has only the photo's time: it is flagged against the completion as it was then (the default age).
 */
function historyFile({ field, id, sha256, takenAt, flags }: EvidenceRef, completedAt: string): NonNullable<HistoryEntry['files']>[number] {
  const days = takenAt ? Math.floor((Date.parse(completedAt) - Date.parse(takenAt)) / 86_400_000) : 0;
  const shown = flags ?? (takenAt && days > DEFAULT_EVIDENCE_POLICY.photoMaxAgeDays ? [{ rule: 'takenBeforeStep' as const, takenAt, days }] : []);
  return { field, id, sha256, ...(takenAt ? { takenAt } : {}), ...(shown.length ? { flags: shown } : {}) };
}
const EventType = {
  started: 1,
  completed: 2,
  failed: 3,
  timedOut: 4,
  taskFailed: 9,
  timerFired: 18,
  signaled: 26,
  terminated: 27,
  canceled: 29,
  updateAccepted: 41,
} as const;

const RESET_CAUSE = 20; // WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW

const at = (e: Event) => {
  const t = e.eventTime;
  const ms = t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
  return new Date(ms).toISOString();
};
const decode = (payloads: unknown) => arrayFromPayloads(defaultPayloadConverter, (payloads as { payloads?: never[] })?.payloads ?? []);

export async function caseHistory(client: Client, processId: string, type: string): Promise<HistoryEntry[]> {
  const history = await client.workflow.getHandle(processId).fetchHistory();
  const def = processType(type);
  const stepTitle = (key: string) => def?.steps.find((s) => s.key === key)?.title.zh ?? key;
  const signalTitle = (name: string) => (def?.signals.find((s) => s.name === name) ?? def?.systemSignals?.find((s) => s.name === name))?.title.zh ?? name;
  const out: HistoryEntry[] = [];
  for (const e of history.events ?? []) {
    const type = Number(e.eventType);
    if (type === EventType.started) {
      const [input] = decode(e.workflowExecutionStartedEventAttributes?.input) as [{ startedBy?: { id: string; name: string }; startFiles?: EvidenceRef[] } | undefined];
      const files = input?.startFiles ?? [];
      out.push({
        at: at(e),
        kind: 'started',
        actor: input?.startedBy,
        ...(files.length ? { files: files.map((f) => historyFile(f, at(e))) } : {}),
        summary: `发起${def?.title.zh ?? ''} (case started)`,
      });
    } else if (type === EventType.updateAccepted) {
      const req = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
      const name = req?.input?.name;
      const [args] = decode(req?.input?.args) as [CompleteStepArgs | CancelArgs | undefined];
      if (name === 'completeStep' && args && 'stepKey' in args) {
        const decision = (args.form as { decision?: string; result?: string }).decision ?? (args.form as { result?: string }).result;
        out.push({
          at: at(e),
          kind: 'step',
          step: args.stepKey,
          ...(decision ? { decision } : {}),
          ...(args.files?.length ? { files: args.files.map((f) => historyFile(f, at(e))) } : {}),
          actor: { id: args.actor.id, name: args.actor.name },
          summary: `${stepTitle(args.stepKey)} 办结${decision ? `（${decision}）` : ''}`,
        });
      } else if (name === 'cancelCase' && args && 'reason' in args) {
        out.push({ at: at(e), kind: 'cancel', actor: { id: args.actor.id, name: args.actor.name }, summary: `撤销：${args.reason}` });
      }
    } else if (type === EventType.signaled) {
      const attrs = e.workflowExecutionSignaledEventAttributes;
      const [env] = decode(attrs?.input) as [SignalEnvelope | undefined];
      out.push({
        at: at(e),
        kind: 'signal',
        signal: attrs?.signalName ?? undefined,
        actor: env?.actor ? { id: env.actor.id, name: env.actor.name } : undefined,
        ...(env?.files?.length ? { files: env.files.map((f) => historyFile(f, at(e))) } : {}),
        summary: `${signalTitle(attrs?.signalName ?? '')}`,
      });
    } else if (type === EventType.taskFailed && Number(e.workflowTaskFailedEventAttributes?.cause) === RESET_CAUSE) {
      // The case was reset (by the watchdog, server/watchdog.ts, or an operator): it runs on from the last good task.
      out.push({ at: at(e), kind: 'repaired', summary: '案件已从最近一次正常处理处恢复运行 (the case was reset to its last good task)' });
    } else if (type === EventType.timerFired) {
      out.push({ at: at(e), kind: 'deadline', summary: '期限到达 (a deadline passed)' });
    } else if ([EventType.completed, EventType.failed, EventType.timedOut, EventType.terminated, EventType.canceled].includes(type as never)) {
      out.push({ at: at(e), kind: 'closed', summary: type === EventType.completed ? '流程结束 (closed)' : '流程异常结束 (ended abnormally)' });
    }
  }
  return out;
}
