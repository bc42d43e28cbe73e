/** 流程设置: the definition's key, names in both languages, who may start it and with which form. */
import { Checkbox, FormControlLabel, FormGroup, FormLabel, Stack, TextField } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { TASK_ROLES } from '../../../contracts/bpmn/designed';
import { roleTitle } from '../common/RoleLabel';
import type { DefinitionSettingsValue } from './draft';

export interface DefinitionSettingsProps {
  value: DefinitionSettingsValue;
  onChange: (v: DefinitionSettingsValue) => void;
  /** A saved definition's key is fixed: a new save is its next version. */
  keyFixed: boolean;
  forms: { key: string; title: string }[];
  problems: { key?: string; titleZh?: string };
}

export function DefinitionSettings({ value, onChange, keyFixed, forms, problems }: DefinitionSettingsProps) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const set = (patch: Partial<DefinitionSettingsValue>) => onChange({ ...value, ...patch });
  return (
    <Stack spacing={1.5}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5}>
        <TextField size="small" required label={translate('fangfan.designer.title_zh')} value={value.titleZh} onChange={(e) => set({ titleZh: e.target.value })} error={!!problems.titleZh} helperText={problems.titleZh && translate(problems.titleZh)} inputProps={{ 'data-testid': 'definition-title-zh' }} sx={{ flex: 1 }} />
        <TextField size="small" label={translate('fangfan.designer.title_en')} value={value.titleEn} onChange={(e) => set({ titleEn: e.target.value })} inputProps={{ 'data-testid': 'definition-title-en' }} sx={{ flex: 1 }} />
        <TextField
          size="small"
          required
          label={translate('fangfan.designer.key')}
          value={value.key}
          disabled={keyFixed}
          onChange={(e) => set({ key: e.target.value.trim() })}
          error={!!problems.key}
          helperText={problems.key ? translate(problems.key) : (keyFixed ? undefined : translate('fangfan.designer.key_hint'))}
          inputProps={{ 'data-testid': 'definition-key' }}
          sx={{ flex: 1 }}
        />
      </Stack>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5} sx={{ alignItems: { md: 'center' } }}>
        <FormGroup sx={{ flex: 2 }}>
          <FormLabel sx={{ fontSize: '0.85rem' }}>{translate('fangfan.designer.start_roles')}</FormLabel>
          <Stack direction="row" useFlexGap sx={{ flexWrap: 'wrap' }}>
            {TASK_ROLES.map((r) => (
              <FormControlLabel
                key={r}
                control={<Checkbox size="small" checked={value.startRoles.includes(r)} onChange={(e) => set({ startRoles: e.target.checked ? [...value.startRoles, r] : value.startRoles.filter((x) => x !== r) })} />}
                label={roleTitle(r, locale)}
              />
            ))}
          </Stack>
        </FormGroup>
        <TextField select size="small" label={translate('fangfan.designer.start_form')} value={value.startForm} onChange={(e) => set({ startForm: e.target.value })} SelectProps={{ native: true }} InputLabelProps={{ shrink: true }} inputProps={{ 'data-testid': 'definition-start-form' }} sx={{ flex: 1 }}>
          <option value="">{translate('fangfan.designer.no_form')}</option>
          {forms.map((f) => (
            <option key={f.key} value={f.key}>
              {f.title || f.key}
            </option>
          ))}
        </TextField>
      </Stack>
    </Stack>
  );
}
