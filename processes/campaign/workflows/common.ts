/** What the campaign's workflows share: starting children in batches, team names. */
import { ParentClosePolicy, WorkflowIdReusePolicy, startChild, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { Team } from '../contract';

const BATCH = 50;

export const names = (team: Team) => team.map((m) => m.name).join('、');

export const childOptions = (workflowId: string) => ({
  workflowId,
  taskQueue: workflowInfo().taskQueue,
  parentClosePolicy: ParentClosePolicy.ABANDON,
  workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
});

/**
 * Start children in batches and count their ends (a failed or cancelled child counts as ended).
 * Returns a function telling how many have ended.
 */
export async function fanOut<A>(workflow: (arg: A) => Promise<unknown>, items: { id: string; arg: A }[]): Promise<() => number> {
  let ended = 0;
  for (let i = 0; i < items.length; i += BATCH) {
    const handles = await Promise.all(
      items.slice(i, i + BATCH).map(({ id, arg }) =>
        startChild(workflow, { ...childOptions(id), args: [arg] as [A] }).catch((err: Error): undefined => {
          // Already started by an earlier run of this parent: it ends on its own; count it as ended.
          if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
          return undefined;
        }),
      ),
    );
    for (const h of handles as (ChildWorkflowHandle<typeof workflow> | undefined)[]) {
      if (!h) ended += 1;
      else
        h.result().then(
          () => (ended += 1),
          () => (ended += 1),
        );
    }
  }
  return () => ended;
}
