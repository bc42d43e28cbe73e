/**
 * On-demand actions a case offers (e.g. proposing risk elimination) until withdrawn: shown on the case
 * (`state.actions`) and completed through the ordinary step update.
 */
import type { CaseState, CompleteStepArgs, FieldRefusal, StepDefinition, StepInstance } from '../contracts/steps';
import type { Actor } from '../contracts/roles';

export interface Submission<F> {
  form: F;
  actor: Actor;
  at: string;
}

export interface StepOptions<F> {
  /** Business rules checked before the update is accepted; return the refusal message, or the field and rule (→ 422). */
  validate?: (form: F, actor: Actor, step: StepInstance) => string | FieldRefusal | undefined;
  context?: Record<string, unknown>;
  /** The one person who completes it (steps of scope `assignee`). */
  assignee?: { id: string; name: string };
  /** Called (inside the workflow) when the step's due time passes while it is open. */
  onOverdue?: (step: StepInstance) => void;
}

export interface Offer {
  def: StepDefinition;
  options: StepOptions<any>;
  onTaken: (submission: Submission<any>, instance: StepInstance) => void;
}

export class Offers {
  private readonly byKey = new Map<string, Offer>();

  constructor(private readonly state: CaseState<any>) {}

  get(key: string): Offer | undefined {
    return this.byKey.get(key);
  }

  add(offer: Offer): void {
    this.byKey.set(offer.def.key, offer);
    this.publish();
  }

  withdraw(key: string): void {
    if (this.byKey.delete(key)) this.publish();
  }

  /** The step an offer would become, for the authorization and the validator. */
  static probe(offer: Offer): Pick<StepInstance, 'role' | 'scope' | 'department' | 'assignee'> {
    return { role: offer.def.role, scope: offer.def.scope, department: offer.def.department, assignee: offer.options.assignee };
  }

  private publish(): void {
    this.state.actions = [...this.byKey.values()].map(({ def, options }) => ({
      key: def.key,
      title: def.title,
      role: def.role,
      scope: def.scope,
      ...(def.department ? { department: def.department } : {}),
      ...(options.assignee ? { assignee: options.assignee } : {}),
    }));
  }
}

/** The step an on-demand action becomes when someone takes it: opened and done at the same instant. */
export function takenInstance(offer: Offer, id: string, args: CompleteStepArgs, at: string): StepInstance {
  return {
    id,
    key: offer.def.key,
    title: offer.def.title,
    role: offer.def.role,
    scope: offer.def.scope,
    department: offer.def.department,
    status: 'done',
    openedAt: at,
    dueAt: at,
    dueDate: at.slice(0, 10),
    provisional: false,
    completedAt: at,
    completedBy: args.actor,
    result: args.form,
    ...(args.files?.length ? { evidence: args.files } : {}),
  };
}
