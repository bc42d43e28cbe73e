/** The statistics endpoints' HTTP shapes. */
import Type from 'typebox';
import { GROUP_BYS } from './query';

const count = (description: string) => Type.Integer({ minimum: 0, description });

export const MonitoringQuery = Type.Object(
  {
    groupBy: Type.Optional(Type.String({ description: `${GROUP_BYS.join(' | ')} (default town)` })),
    from: Type.Optional(Type.String({ description: 'YYYY-MM-DD, first day of the period (default: the first of this month, Beijing time)' })),
    to: Type.Optional(Type.String({ description: 'YYYY-MM-DD, last day of the period, included (default: today)' })),
  },
  { additionalProperties: false },
);

export const MonitoringRow = Type.Object({
  key: Type.String({ description: 'the town; `town/village`; the category or risk type code (`none`: households not monitored)' }),
  label: Type.String({ description: 'the group in plain Chinese' }),
  town: Type.Optional(Type.String()),
  village: Type.Optional(Type.String()),
  monitored: count('households monitored now (监测户)'),
  eliminated: count('households whose risk is eliminated now'),
  includedInPeriod: count('households included in monitoring in the period (latest inclusion)'),
  eliminatedInPeriod: count('households whose risk was eliminated in the period'),
  returned: count('households included again after an elimination (返贫), ever'),
  returnedInPeriod: count('of which included again in the period'),
  openSteps: count('open steps'),
  dueSoonSteps: count('open steps not overdue, due by the end of the second working day from today'),
  overdueSteps: count('open steps past their due time'),
  helpersAssigned: count('helpers named (P2 assignHelper done) in the period'),
  helpersAssignedOnTime: count('of which by their deadline'),
  visitsDue: count('monthly visits opened in the period that were made or are past their deadline'),
  visitsDone: count('of which made'),
});

export const MonitoringRows = Type.Array(MonitoringRow);
