/**
 * A length of time as people say it — a number and a unit (天, 小时, 分钟, 秒) — for an ISO 8601 duration
 * value (P5D, PT36H): the policy's notice minimums and exact-duration deadlines. A value of several units
 * (P1DT12H) stays a text field, as the schema describes it.
 */
import { Stack, TextField } from '@mui/material';
import type { WidgetProps } from '@rjsf/utils';
import { useTranslate } from 'react-admin';

import { DURATION_UNITS, joinDuration, splitDuration, type DurationUnit as Unit } from '../../lib/duration';

export function DurationWidget(props: WidgetProps) {
  const { id, value, onChange, label, required, disabled, readonly, rawErrors, registry } = props;
  const translate = useTranslate();
  const parts = typeof value === 'string' ? splitDuration(value) : { amount: 0, unit: 'D' as Unit };
  if (!parts) {
    const Text = registry.widgets.TextWidget;
    return <Text {...props} />;
  }
  return (
    <Stack direction="row" spacing={1}>
      <TextField
        id={id}
        type="number"
        label={label}
        required={required}
        disabled={disabled || readonly}
        error={!!rawErrors?.length}
        value={parts.amount}
        inputProps={{ min: 0, step: 1, inputMode: 'numeric' }}
        onChange={(e) => onChange(joinDuration(Math.max(0, Math.floor(Number(e.target.value) || 0)), parts.unit))}
        sx={{ flex: 1 }}
      />
      <TextField
        select
        label={translate('fangfan.form.duration_unit')}
        disabled={disabled || readonly}
        value={parts.unit}
        onChange={(e) => onChange(joinDuration(parts.amount, e.target.value as Unit))}
        SelectProps={{ native: true }}
        inputProps={{ 'data-testid': `${id}-unit` }}
        sx={{ width: 110 }}
      >
        {DURATION_UNITS.map((u) => (
          <option key={u} value={u}>
            {translate(`fangfan.form.duration_units.${u}`)}
          </option>
        ))}
      </TextField>
    </Stack>
  );
}
