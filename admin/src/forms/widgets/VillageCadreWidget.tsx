/**
 * Picks another village cadre of the case's village (`GET /api/users?filter={"role":"village_cadre",…}`),
 * e.g. the co-verifier of a home verification. Without a case's place it is a plain text input.
 * A native select: easier on phones. Each cadre by name; the login name only tells apart two of one name.
 */
import { TextField } from '@mui/material';
import type { WidgetProps } from '@rjsf/utils';
import { useGetList, useTranslate } from 'react-admin';
import type { UserRecord } from '../../api/types';
import type { FormContext } from '../context';

export function VillageCadreWidget(props: WidgetProps) {
  const { id, value, onChange, label, required, disabled, readonly, rawErrors, registry, onBlur, onFocus } = props;
  const translate = useTranslate();
  const ctx = (registry.formContext ?? {}) as FormContext;
  const enabled = !!ctx.town && !!ctx.village;
  const { data = [], isPending } = useGetList<UserRecord>(
    'users',
    {
      pagination: { page: 1, perPage: 100 },
      sort: { field: 'name', order: 'ASC' },
      filter: { role: 'village_cadre', town: ctx.town, village: ctx.village, active: true },
    },
    { enabled },
  );
  if (!enabled) {
    const Text = registry.widgets.TextWidget;
    return <Text {...props} />;
  }
  const others = data.filter((u) => u.id !== ctx.actorId);
  const shared = new Set(others.filter((u, i) => others.findIndex((o) => o.name === u.name) !== i).map((u) => u.name));
  return (
    <TextField
      id={id}
      select
      fullWidth
      label={label}
      required={required}
      disabled={disabled || readonly}
      error={!!rawErrors?.length}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
      slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
      helperText={isPending ? translate('fangfan.form.loading') : undefined}
    >
      <option value="">{translate('fangfan.form.select')}</option>
      {others.map((u) => (
        <option key={u.id} value={u.id}>
          {shared.has(u.name) ? `${u.name}（${u.username}）` : u.name}
        </option>
      ))}
    </TextField>
  );
}
