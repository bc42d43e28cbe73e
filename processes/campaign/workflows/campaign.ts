/**
 * P5 大走访、大排查、大整改 (plan items 17, 48–51). The tree, so that no history grows with the
 * district's size:
 *
 *   campaign:<year>                       one per year (district); its children are the towns
 *   └ campaign:<year>:<town>              town case: 组建走访小组 (teams of two), team changes
 *     └ campaign:<year>:<town>:<village>  village run (no steps): opens the village's visits
 *       (└ campaign:<year>:<town>:<village>:<n>   parts of 100 households, in a larger village)
 *       └ campaignVisit:<year>:<household>   visit case: the checklist, for a team of two
 *         └ rectification:<year>:<household>:<item>   one per failed item: 研判→整改→复核→销号
 *
 * Children are started with ABANDON (a campaign closed at its end date leaves open problems running,
 * carried over) and deterministic ids (a replayed or retried start never doubles a case). Each level
 * waits for its children's results; the campaign also waits for the rectification phase's end date.
 */
import {
  ActivityFailure,
  CancellationScope,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { Case, acts, endOf, type CaseEnd, type OpenStep } from '../../../workflows/case';
import { businessSignal } from '../../../contracts/messages';
import type { createActivities } from '../../../activities';
import type { CampaignProgress } from '../activities';
import {
  CAMPAIGN,
  CHECKLIST_ITEMS,
  CHECKLIST_KEYS,
  DEFAULT_CATEGORY,
  PROBLEM_CATEGORIES,
  RECTIFICATION,
  TEAM_CHANGED_SIGNAL,
  addDays,
  campaignId,
  daysBetween,
  rectificationId,
  townCaseId,
  villagePartId,
  villageRunId,
  visitCaseId,
  type AnalysisForm,
  type CampaignInput,
  type CampaignScheduledInput,
  type CampaignTownInput,
  type CampaignHousehold,
  type CampaignVillageInput,
  type CampaignVillagePartInput,
  type CampaignVisitForm,
  type CampaignVisitInput,
  type ChecklistItem,
  type FixForm,
  type FormTeamsForm,
  type Person,
  type ProblemCategory,
  type ReassignTeamPayload,
  type RecheckForm,
  type RectificationInput,
  type Team,
  type TeamChanged,
} from '../contract';

const SH = 8 * 3600_000;
const today = () => new Date(Date.now() + SH).toISOString().slice(0, 10);
const endOfDay = (date: string) => Date.parse(`${date}T23:59:59.999+08:00`);
const BATCH = 50;

const lists = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const teamChanged = defineSignal<[TeamChanged]>(TEAM_CHANGED_SIGNAL);
const names = (team: Team) => team.map((m) => m.name).join('、');

const childOptions = (workflowId: string) => ({
  workflowId,
  taskQueue: workflowInfo().taskQueue,
  parentClosePolicy: ParentClosePolicy.ABANDON,
  workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
});

/**
 * Start children in batches and count their ends (a failed or cancelled child counts as ended).
 * Returns a function telling how many have ended.
 */
async function fanOut<A>(workflow: (arg: A) => Promise<unknown>, items: { id: string; arg: A }[]): Promise<() => number> {
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

// ---------------------------------------------------------------- the year's campaign

interface CampaignData extends Record<string, unknown> {
  headName: string;
  year: number;
  towns: string[];
  visitEndsOn: string;
  rectifyEndsOn: string;
  households?: number;
  report?: CampaignProgress;
}

export async function campaign(input: CampaignInput): Promise<unknown> {
  const r = input.request;
  const kase = new Case<CampaignData>({
    processId: input.processId,
    type: CAMPAIGN.type,
    subject: String(r.year),
    town: '',
    village: '',
    stage: 'visit',
    data: { headName: `${r.year}年度大走访、大排查、大整改`, year: r.year, towns: r.towns, visitEndsOn: r.visitEndsOn, rectifyEndsOn: r.rectifyEndsOn },
  });
  return kase.run(async () => {
    const scope = await lists.campaignScope({ towns: r.towns });
    const households = scope.reduce((n, t) => n + t.villages.reduce((m, v) => m + v.households, 0), 0);
    kase.state.data.households = households;
    kase.record('scope', `排查范围：${r.towns.join('、')}，脱贫户和监测户共 ${households} 户；走访至 ${r.visitEndsOn}，整改至 ${r.rectifyEndsOn}`);
    await kase.commit();

    const ended = await fanOut(
      campaignTown,
      scope.map((town) => {
        const processId = townCaseId(r.year, town.town);
        return {
          id: processId,
          arg: { processId, campaignId: input.processId, year: r.year, scope: town, visitEndsOn: r.visitEndsOn, rectifyEndsOn: r.rectifyEndsOn, policy: input.policy, taskQueue: input.taskQueue },
        };
      }),
    );
    let timeUp = false;
    const timer = new CancellationScope();
    timer
      .run(() => sleep(Math.max(0, endOfDay(r.rectifyEndsOn) - Date.now())))
      .then(() => (timeUp = true))
      .catch((err) => {
        if (!isCancellation(err)) throw err;
      });
    await kase.waitFor(() => ended() === scope.length || timeUp);
    if (ended() === scope.length) {
      timer.cancel();
      kase.setStage('closed');
      return { status: 'completed', result: '全部走访，发现问题全部销号 (every household visited, every problem closed)' };
    }
    const report = await lists.campaignProgress({ year: r.year });
    kase.state.data.report = report;
    kase.setStage('carriedOver');
    const t = report.totals;
    return {
      status: 'completed',
      result: '整改期满，未完成事项结转 (closed at the end date; open items carried over)',
      reasons: `应走访 ${t.households} 户，已走访 ${t.visited} 户；发现问题 ${t.problems} 个，已销号 ${t.closed} 个，结转 ${t.problems - t.closed} 个，复核退回 ${t.reopened} 个`,
    };
  });
}

/**
 * What the yearly Temporal Schedule starts: the year's campaign over every town, with the policy's
 * phase lengths, unless a supervisor started it already (the fixed id `campaign:<year>`).
 */
export async function campaignScheduled(input: CampaignScheduledInput): Promise<{ processId: string; started: boolean }> {
  const now = today();
  const year = Number(now.slice(0, 4));
  const processId = campaignId(year);
  const schedule = input.policy.schedule;
  if (!schedule) return { processId, started: false };
  // Started by hand already (running or closed): the read model knows it (and Temporal refuses the id).
  if ((await lists.caseStatus({ processId })) !== 'unknown') return { processId, started: false };
  const towns = await lists.knownTowns();
  const args: [CampaignInput] = [
    {
      processId,
      request: { year, towns, visitEndsOn: addDays(now, schedule.visitDays), rectifyEndsOn: addDays(now, schedule.rectifyDays) },
      startedBy: { id: 'schedule', name: '年度大走访计划 (the yearly schedule)' },
      policy: input.policy,
      policyVersion: input.policyVersion,
      taskQueue: input.taskQueue,
    },
  ];
  try {
    await startChild(campaign, { ...childOptions(processId), args });
    return { processId, started: true };
  } catch (err) {
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    return { processId, started: false };
  }
}

// ---------------------------------------------------------------- a town: teams of two

interface TownData extends Record<string, unknown> {
  headName: string;
  year: number;
  villages: { village: string; households: number }[];
  teams?: { members: Team; villages: string[]; households: string[] }[];
}

export async function campaignTown(input: CampaignTownInput): Promise<CaseEnd> {
  const { scope, year } = input;
  const kase = new Case<TownData>({
    processId: input.processId,
    type: CAMPAIGN.type,
    subject: `${year}:${scope.town}`,
    town: scope.town,
    village: '',
    stage: 'formTeams',
    data: { headName: `${year}年度大走访（${scope.town}）`, year, villages: scope.villages },
  });
  const users = new Map(scope.users.map((u) => [u.id, u]));
  /** Two distinct active users of the town (item 51), or the refusal. */
  const teamOf = (members: string[]): Team | string => {
    if (members.length !== 2 || members[0] === members[1]) return '每个走访小组须由两名不同人员组成 (a team is exactly two distinct people)';
    const found = members.map((id) => users.get(id));
    if (found.some((u) => !u)) return `组员须为${scope.town}在岗人员 (both members must be active users of ${scope.town})`;
    return found as Team;
  };
  let villagesOpen = false;

  setHandler(businessSignal(CAMPAIGN.signals.reassignTeam.name), async (env) => {
    if (!kase.firstDelivery(env.eventId)) return;
    const p = env.payload as unknown as ReassignTeamPayload;
    const team = teamOf(p.members);
    const actor = { id: env.actor.id, name: env.actor.name };
    if (typeof team === 'string' || !villagesOpen || !scope.villages.some((v) => v.village === p.village)) {
      kase.record('team_change_refused', `走访小组调整未生效：${typeof team === 'string' ? team : villagesOpen ? `${p.village}不在排查范围` : '尚未组建走访小组'}`, { actor });
      await kase.commit();
      return;
    }
    kase.record('team_changed', `${p.village}${p.householdId ? ` ${p.householdId}` : ''} 走访小组调整为 ${names(team)}：${p.reason}`, { actor });
    await kase.commit();
    const change: TeamChanged = { ...(p.householdId ? { householdId: p.householdId } : {}), team, reason: p.reason, by: actor };
    await getExternalWorkflowHandle(villageRunId(year, scope.town, p.village))
      .signal(teamChanged, change)
      .catch(() => undefined); // the village's visits are all done
  });

  return kase.run(async () => {
    if (scope.villages.length === 0) return { status: 'completed', result: '本镇无排查对象 (no household in scope)' };
    const step = await kase.openStep<FormTeamsForm>(CAMPAIGN.steps.formTeams, input.policy.formTeams, {
      context: { villages: scope.villages, users: scope.users },
      validate: (form) => {
        const byVillage = new Map<string, number>();
        const byHousehold = new Set<string>();
        for (const team of form.teams) {
          const t = teamOf(team.members);
          if (typeof t === 'string') return t;
          for (const v of team.villages ?? []) {
            if (!scope.villages.some((x) => x.village === v)) return `${v}不在本镇排查范围内 (not a village in scope)`;
            byVillage.set(v, (byVillage.get(v) ?? 0) + 1);
          }
          for (const h of team.households ?? []) {
            if (byHousehold.has(h)) return `农户 ${h} 被分配给多个小组 (a household belongs to one team)`;
            byHousehold.add(h);
          }
        }
        for (const v of scope.villages) {
          const n = byVillage.get(v.village) ?? 0;
          if (n === 0) return `${v.village}尚未分配走访小组，每户都须有小组负责 (every household needs a team: ${v.village} has none)`;
          if (n > 1) return `${v.village}被分配给多个小组 (a village belongs to one team; assign single households with "households")`;
        }
        return undefined;
      },
    });
    const { form } = await kase.completion(step);
    const teams = form.teams.map((t) => ({ members: teamOf(t.members) as Team, villages: t.villages ?? [], households: t.households ?? [] }));
    kase.state.data.teams = teams;
    const overrides: Record<string, Team> = {};
    for (const t of teams) for (const h of t.households) overrides[h] = t.members;
    kase.setStage('visits');
    await kase.commit();

    villagesOpen = true;
    const ended = await fanOut(
      campaignVillage,
      scope.villages.map(({ village }) => {
        const team = teams.find((t) => t.villages.includes(village))!.members;
        const processId = villageRunId(year, scope.town, village);
        return {
          id: processId,
          arg: { processId, year, town: scope.town, village, team, overrides, visitEndsOn: input.visitEndsOn, rectifyEndsOn: input.rectifyEndsOn, policy: input.policy, taskQueue: input.taskQueue },
        };
      }),
    );
    await kase.waitFor(() => ended() === scope.villages.length);
    kase.setStage('closed');
    return { status: 'completed', result: '本镇全部走访，问题全部销号 (every household visited, every problem closed)' };
  }).then(endOf);
}

// ---------------------------------------------------------------- a village: its visits

/**
 * At most this many visit cases under one workflow. A village run with more households opens them
 * through parts (`campaign:<year>:<town>:<village>:<n>`) of this size: each visit's start and end are
 * events in its parent's history, and a parent replayed with thousands of them (20,000 households:
 * 465 a village, 1,660 events, ~1 s per replay) took 9–16 s per workflow task on this machine, past
 * Temporal's 10 s workflow task timeout.
 */
const VISITS_PER_RUN = 100; // policy campaign.visitsPerRun when set

/** Opens one visit case per household of the village (snapshotted now) and waits for them all. */
export async function campaignVillage(input: CampaignVillageInput): Promise<{ village: string; households: number }> {
  const households = await lists.campaignHouseholds({ town: input.town, village: input.village });
  const perRun = input.policy.visitsPerRun ?? VISITS_PER_RUN;
  if (households.length <= perRun || !patched('campaign-village-parts')) return openVisits(input, households);
  // Parts: each opens its households' visits and forwards team changes to them; this run forwards
  // team changes to the parts.
  const parts: { id: string; households: CampaignHousehold[] }[] = [];
  for (let i = 0; i < households.length; i += perRun) {
    parts.push({ id: villagePartId(input.year, input.town, input.village, parts.length + 1), households: households.slice(i, i + perRun) });
  }
  const changes = teamChanges();
  const ended = await fanOut(
    campaignVillagePart,
    parts.map((part) => ({ id: part.id, arg: { ...input, processId: part.id, households: part.households } })),
  );
  await relayTeamChanges(changes, () => ended() === parts.length, (change) =>
    parts.filter((p) => !change.householdId || p.households.some((h) => h.id === change.householdId)).map((p) => p.id),
  );
  return { village: input.village, households: households.length };
}

/** A part of a large village: opens the visits of its households (see VISITS_PER_RUN). */
export async function campaignVillagePart(input: CampaignVillagePartInput): Promise<{ village: string; households: number }> {
  return openVisits(input, input.households);
}

/**
 * Opens one visit case per household, each for its team (the village's, or another one named for the
 * household), forwards team changes to the open visits, and waits until every visit has ended.
 */
async function openVisits(input: CampaignVillageInput, households: CampaignHousehold[]): Promise<{ village: string; households: number }> {
  const overrides = { ...input.overrides };
  let villageTeam = input.team;
  const changes = teamChanges();
  const ended = await fanOut(
    campaignVisit,
    households.map((household) => {
      const processId = visitCaseId(input.year, household.id);
      return {
        id: processId,
        arg: { processId, year: input.year, household, team: overrides[household.id] ?? villageTeam, visitEndsOn: input.visitEndsOn, rectifyEndsOn: input.rectifyEndsOn, policy: input.policy, taskQueue: input.taskQueue },
      };
    }),
  );
  await relayTeamChanges(changes, () => ended() === households.length, (change) => {
    if (change.householdId) overrides[change.householdId] = change.team;
    else villageTeam = change.team;
    return households.filter((h) => (change.householdId ? h.id === change.householdId : !overrides[h.id])).map((h) => visitCaseId(input.year, h.id));
  });
  return { village: input.village, households: households.length };
}

/** The team changes this run receives (from the town case or the village run), in order. */
function teamChanges(): TeamChanged[] {
  const changes: TeamChanged[] = [];
  setHandler(teamChanged, (c) => {
    changes.push(c);
  });
  return changes;
}

/**
 * Until `done()`, passes each team change on to the workflows `apply` names (after recording it): a
 * village run to its parts, a village run or part to its open visits. A visit already closed is skipped.
 */
async function relayTeamChanges(changes: TeamChanged[], done: () => boolean, apply: (change: TeamChanged) => string[]): Promise<void> {
  for (;;) {
    await condition(() => changes.length > 0 || done());
    if (changes.length === 0) return;
    const change = changes.shift()!;
    await Promise.all(apply(change).map((id) => getExternalWorkflowHandle(id).signal(teamChanged, change).catch(() => undefined)));
  }
}

// ---------------------------------------------------------------- a household's visit

interface VisitData extends Record<string, unknown> {
  headName: string;
  year: number;
  team: Team;
  problems: { item: ChecklistItem; note: string; processId: string }[];
}

export async function campaignVisit(input: CampaignVisitInput): Promise<CaseEnd> {
  const { household, year } = input;
  const kase = new Case<VisitData>({
    processId: input.processId,
    type: CAMPAIGN.type,
    householdId: household.id,
    subject: `${year}:${household.id}`,
    town: household.town,
    village: household.village,
    stage: 'visit',
    data: { headName: household.headName, year, team: input.team, problems: [] },
  });
  let step: OpenStep<CampaignVisitForm> | undefined;
  setHandler(teamChanged, async (c) => {
    kase.state.data.team = c.team;
    if (step?.isOpen) {
      step.instance.assignee = c.team[0];
      step.instance.context = { ...step.instance.context, team: c.team };
    }
    kase.record('team_changed', `走访小组调整为 ${names(c.team)}：${c.reason}`, { actor: c.by });
    await kase.commit();
  });
  return kase.run(async () => {
    const team = kase.state.data.team;
    step = await kase.openStep<CampaignVisitForm>(CAMPAIGN.steps.campaignVisit, { calendarDays: daysBetween(today(), input.visitEndsOn) }, {
      assignee: team[0],
      context: { team, year },
      validate: (form) => {
        if (form.visitedOn > today()) return '走访日期不能晚于今天 (the visit date cannot be in the future)';
        for (const k of CHECKLIST_KEYS) {
          const e = form.items[k];
          if (e.result === 'fail' && !e.note?.trim()) return `「${CHECKLIST_ITEMS[k].zh}」不达标，须说明问题 (a failed item needs a note)`;
        }
        return undefined;
      },
    });
    const { form, actor } = await kase.completion(step);
    const failed = CHECKLIST_KEYS.filter((k) => form.items[k].result === 'fail');
    if (failed.length === 0) {
      kase.setStage('closed');
      return { status: 'completed', result: '已走访，未发现问题 (visited: no problem)' };
    }
    kase.setStage('rectification');
    const foundBy: Person = { id: actor.id, name: actor.name };
    const problems = failed.map((item) => ({ item, note: form.items[item].note ?? '', processId: rectificationId(year, household.id, item) }));
    kase.state.data.problems = problems;
    kase.record('problems_found', `发现问题 ${problems.length} 个：${failed.map((k) => CHECKLIST_ITEMS[k].zh).join('、')}`);
    await kase.commit();
    const ended = await fanOut(
      rectification,
      problems.map((p) => ({
        id: p.processId,
        arg: { processId: p.processId, year, household, item: p.item, note: p.note, foundBy, visitId: input.processId, rectifyEndsOn: input.rectifyEndsOn, policy: input.policy },
      })),
    );
    await kase.waitFor(() => ended() === problems.length);
    kase.setStage('closed');
    return { status: 'completed', result: '已走访，发现问题全部销号 (visited; every problem closed)' };
  }).then(endOf);
}

// ---------------------------------------------------------------- a problem: rectification to close-out

interface RectificationData extends Record<string, unknown> {
  headName: string;
  year: number;
  item: ChecklistItem;
  note: string;
  category: ProblemCategory;
  department?: string;
  measure?: string;
  deadline?: string;
  houseRebuildId?: string;
  /** Re-check rejections (false or perfunctory fixes, item 49), counted against the department. */
  reopened: number;
}

export async function rectification(input: RectificationInput): Promise<CaseEnd> {
  const { household, item, policy } = input;
  const kase = new Case<RectificationData>({
    processId: input.processId,
    type: RECTIFICATION.type,
    householdId: household.id,
    subject: `${input.year}:${household.id}:${item}`,
    town: household.town,
    village: household.village,
    stage: 'analysis',
    data: { headName: household.headName, year: input.year, item, note: input.note, category: DEFAULT_CATEGORY[item], reopened: 0 },
  });
  const data = kase.state.data;
  return kase.run(async () => {
    kase.record('found', `走访发现问题（${CHECKLIST_ITEMS[item].zh}）：${input.note}`, { actor: input.foundBy });
    const analysis = await kase.openStep<AnalysisForm>(RECTIFICATION.steps.analysis, policy.analysis, {
      context: { item, note: input.note, visit: input.visitId },
      validate: (f) => {
        if (f.deadline < today()) return '整改时限不能早于今天 (the deadline cannot be in the past)';
        if (f.houseRebuild && f.category !== 'housing') return '只有住房问题可纳入农村危房改造 (only a housing problem goes to house rebuilding)';
        if (f.houseRebuild && f.onlyHouse === undefined) return '纳入危房改造须说明是否唯一住房 (say whether it is the only house)';
        return undefined;
      },
    });
    const { form: a, actor } = await kase.completion(analysis);
    const department = policy.departments[a.category];
    Object.assign(data, { category: a.category, department, measure: a.measure, deadline: a.deadline });
    kase.involve(department);
    kase.record('analysed', `研判：${PROBLEM_CATEGORIES[a.category].zh}问题，由${department}于 ${a.deadline} 前整改：${a.measure}`);

    let fixNeeded = true;
    if (a.houseRebuild) {
      try {
        const started = await acts.startFollowUp({
          type: 'houseRebuild',
          input: { householdId: household.id, channel: 'campaign', description: `大排查发现住房问题：${input.note}；整改措施：${a.measure}`, onlyHouse: !!a.onlyHouse },
          startedBy: { id: actor.id, name: actor.name },
        });
        data.houseRebuildId = started.id;
        kase.setStage('houseRebuild');
        kase.record('house_rebuild', `纳入农村危房改造 ${started.id}${started.existing ? '（已在办理）' : ''}，改造办结后复核`);
        await kase.commit();
        // P4 does not know the problem: the problem looks at P4's status in the read model.
        while (['running', 'unknown'].includes(await lists.caseStatus({ processId: started.id }))) await kase.sleep(policy.housingPollHours * 3600_000);
        kase.record('house_rebuild_closed', `农村危房改造 ${started.id} 已办结`);
        fixNeeded = false;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        kase.record('house_rebuild_refused', `未能纳入农村危房改造，由${department}整改：${err.cause?.message ?? err.message}`);
      }
    }
    for (;;) {
      if (fixNeeded) {
        kase.setStage('fix');
        const fix = await kase.openStep<FixForm>({ ...RECTIFICATION.steps.fix, department }, { calendarDays: daysBetween(today(), data.deadline!) }, {
          context: { item, category: data.category, measure: data.measure, deadline: data.deadline, reopened: data.reopened },
          validate: (f) => (f.fixedOn > today() ? '整改日期不能晚于今天 (the date cannot be in the future)' : undefined),
        });
        await kase.completion(fix);
      }
      kase.setStage('recheck');
      const recheck = await kase.openStep<RecheckForm>(RECTIFICATION.steps.recheck, policy.recheck, {
        context: { item, category: data.category, department },
        validate: (f) => (f.decision === 'reject' && !f.reason?.trim() ? '复核不通过须说明原因（虚假整改、敷衍整改）(a rejection needs the reason)' : undefined),
      });
      const { form: r } = await kase.completion(recheck);
      if (r.decision === 'pass') break;
      data.reopened += 1;
      kase.record('reopened', `复核不通过，退回${department}重新整改（第 ${data.reopened} 次，计入部门）：${r.reason}`);
      fixNeeded = true;
    }
    kase.setStage('closed');
    return { status: 'completed', result: '已销号 (closed out)' };
  }).then(endOf);
}
