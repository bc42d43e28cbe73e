/**
 * 办理期限: N 个工作日 / N 个自然日 / 月底 / a duration, written as the task's `ff:due` text
 * (dueRule.ts). The diagram gets a rule only when the shared check accepts it; until then the widget says
 * what to correct.
 */
import { useState } from 'react';
import { Stack, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { DUE_KINDS, dueProblem, formatDueRule, parseDueRule, switchDueKind, type DueKind, type DueRule } from './dueRule';

export function DueRuleInput({ value, onChange }: { value: string | undefined; onChange: (text: string) => void }) {
  const translate = useTranslate();
  const [rule, setRule] = useState<DueRule | undefined>(() => parseDueRule(value));
  const problem = dueProblem(rule);
  const change = (next: DueRule | undefined) => {
    setRule(next);
    if (!dueProblem(next)) onChange(formatDueRule(next));
  };
  return (
    <Stack spacing={1}>
      <TextField
        select
        size="small"
        label={translate('fangfan.designer.due.label')}
        value={rule?.kind ?? 'none'}
        onChange={(e) => change(e.target.value === 'none' ? undefined : switchDueKind(rule, e.target.value as DueKind))}
        SelectProps={{ native: true }} InputLabelProps={{ shrink: true }}
        inputProps={{ 'data-testid': 'due-kind' }}
      >
        <option value="none">{translate('fangfan.designer.due.kinds.none')}</option>
        {DUE_KINDS.map((k) => (
          <option key={k} value={k}>
            {translate(`fangfan.designer.due.kinds.${k}`)}
          </option>
        ))}
      </TextField>
      {(rule?.kind === 'workingDays' || rule?.kind === 'calendarDays') && (
        <TextField
          size="small"
          type="number"
          label={translate('fangfan.designer.due.days')}
          value={Number.isNaN(rule.days) || rule.days === undefined ? '' : rule.days}
          onChange={(e) => change({ ...rule, days: e.target.value === '' ? NaN : Number(e.target.value) })}
          inputProps={{ min: 1, step: 1, inputMode: 'numeric', 'data-testid': 'due-days' }}
          error={problem === 'days'}
          helperText={problem === 'days' ? translate('fangfan.designer.due.problem_days') : undefined}
        />
      )}
      {rule?.kind === 'duration' && (
        <TextField
          size="small"
          label={translate('fangfan.designer.due.duration')}
          value={rule.duration ?? ''}
          onChange={(e) => change({ kind: 'duration', duration: e.target.value })}
          inputProps={{ 'data-testid': 'due-duration' }}
          error={problem === 'duration'}
          helperText={problem === 'duration' ? translate('fangfan.designer.due.problem_duration') : undefined}
        />
      )}
    </Stack>
  );
}
