/** Picks a household from the register (`GET /api/households`, searched by name or id). */
import { useEffect, useMemo, useState } from 'react';
import { Autocomplete, Box, TextField, Typography } from '@mui/material';
import type { WidgetProps } from '@rjsf/utils';
import { useGetList, useGetOne, useTranslate } from 'react-admin';
import type { HouseholdRecord } from '../../api/types';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const labelOf = (h: HouseholdRecord) => `${h.headName}（${h.id}）`;

export function HouseholdWidget({ id, value, onChange, label, required, disabled, readonly, rawErrors, onBlur, onFocus }: WidgetProps) {
  const translate = useTranslate();
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 250);
  const { data = [], isPending } = useGetList<HouseholdRecord>('households', {
    pagination: { page: 1, perPage: 20 },
    sort: { field: 'id', order: 'ASC' },
    filter: q ? { q } : {},
  });
  const { data: current } = useGetOne<HouseholdRecord>('households', { id: value }, { enabled: !!value });
  const options = useMemo(() => (current && !data.some((h) => h.id === current.id) ? [current, ...data] : data), [data, current]);
  const selected = options.find((h) => h.id === value) ?? null;

  return (
    <Autocomplete<HouseholdRecord>
      id={id}
      options={options}
      value={selected}
      loading={isPending}
      disabled={disabled || readonly}
      filterOptions={(x) => x}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      getOptionLabel={labelOf}
      onChange={(_, h) => onChange(h?.id ?? undefined)}
      onInputChange={(_, v, reason) => {
        if (reason === 'input' || reason === 'clear') setInput(v);
      }}
      noOptionsText={translate('fangfan.form.no_options')}
      loadingText={translate('fangfan.form.loading')}
      renderOption={(props, h) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <Box component="li" key={key} {...rest}>
            <Box>
              <Typography variant="body2">{labelOf(h)}</Typography>
              <Typography variant="caption" color="text.secondary">
                {h.town}
                {h.village}
              </Typography>
            </Box>
          </Box>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          error={!!rawErrors?.length}
          placeholder={translate('fangfan.form.search_household')}
          onBlur={() => onBlur(id, value)}
          onFocus={() => onFocus(id, value)}
        />
      )}
    />
  );
}
