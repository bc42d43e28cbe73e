/**
 * 表单设计: the forms of a designed process, each a list of fields (formSchema.ts says which kinds and
 * why our own designer), with a live preview drawn by the console's own form renderer — exactly what a
 * cadre will see in the step.
 */
import { useMemo, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Checkbox, Collapse, FormControlLabel, IconButton, Stack, TextField, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { useTranslate } from 'react-admin';
import { SchemaForm } from '../forms/SchemaForm';
import { FIELD_TYPES, formProblems, formSchema, optionsText, parseOptions, type DesignedField, type DesignedForm, type FieldType } from './formSchema';

export interface FormDesignerProps {
  forms: DesignedForm[];
  onChange: (forms: DesignedForm[]) => void;
}

const nextName = (prefix: string, taken: string[]) => {
  let n = taken.length + 1;
  while (taken.includes(`${prefix}${n}`)) n++;
  return { key: `${prefix}${n}`, n };
};

export function FormDesigner({ forms, onChange }: FormDesignerProps) {
  const translate = useTranslate();
  const add = () => {
    const { key, n } = nextName('form', forms.map((f) => f.key));
    onChange([...forms, { key, title: translate('fangfan.designer.forms.new_form', { n }), fields: [] }]);
  };
  return (
    <Stack spacing={2} data-testid="form-designer">
      <Typography variant="body2" color="text.secondary">
        {translate('fangfan.designer.forms.hint')}
      </Typography>
      {!forms.length && <Typography variant="body2">{translate('fangfan.designer.forms.none')}</Typography>}
      {forms.map((form, i) => (
        <FormCard
          key={i}
          form={form}
          otherKeys={forms.filter((_, j) => j !== i).map((f) => f.key)}
          onChange={(f) => onChange(forms.map((x, j) => (j === i ? f : x)))}
          onRemove={() => onChange(forms.filter((_, j) => j !== i))}
        />
      ))}
      <Box>
        <Button startIcon={<AddIcon />} onClick={add} data-testid="add-form">
          {translate('fangfan.designer.forms.add')}
        </Button>
      </Box>
    </Stack>
  );
}

function FormCard({ form, otherKeys, onChange, onRemove }: { form: DesignedForm; otherKeys: string[]; onChange: (f: DesignedForm) => void; onRemove: () => void }) {
  const translate = useTranslate();
  const [preview, setPreview] = useState(false);
  const problems = formProblems(form, otherKeys);
  const formLevel = problems.filter((p) => p.field === undefined);
  const schema = useMemo(() => formSchema(form), [form]);
  const setField = (i: number, f: DesignedField) => onChange({ ...form, fields: form.fields.map((x, j) => (j === i ? f : x)) });
  const addField = () => {
    const { key } = nextName('field', form.fields.map((f) => f.key));
    onChange({ ...form, fields: [...form.fields, { key, title: '', type: 'text', required: true }] });
  };
  return (
    <Card variant="outlined" data-testid={`form-${form.key}`}>
      <CardContent>
        <Stack spacing={1.5}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <TextField size="small" label={translate('fangfan.designer.forms.name')} value={form.title} onChange={(e) => onChange({ ...form, title: e.target.value })} inputProps={{ 'data-testid': 'form-title' }} sx={{ flex: 2 }} />
            <TextField size="small" label={translate('fangfan.designer.forms.key')} value={form.key} onChange={(e) => onChange({ ...form, key: e.target.value.trim() })} inputProps={{ 'data-testid': 'form-key' }} sx={{ flex: 1 }} />
            <Button color="error" startIcon={<DeleteIcon />} onClick={onRemove}>
              {translate('fangfan.designer.forms.remove')}
            </Button>
          </Stack>
          {formLevel.map((p) => (
            <Alert key={p.problem} severity="warning">
              {translate(`fangfan.designer.forms.problems.${p.problem}`)}
            </Alert>
          ))}
          {form.fields.map((f, i) => (
            <FieldRow
              key={i}
              field={f}
              problems={problems.filter((p) => p.field === i).map((p) => translate(`fangfan.designer.forms.problems.${p.problem}`))}
              onChange={(x) => setField(i, x)}
              onRemove={() => onChange({ ...form, fields: form.fields.filter((_, j) => j !== i) })}
            />
          ))}
          <Stack direction="row" spacing={1}>
            <Button startIcon={<AddIcon />} onClick={addField} data-testid="add-field">
              {translate('fangfan.designer.forms.add_field')}
            </Button>
            <Button onClick={() => setPreview((v) => !v)} disabled={!form.fields.length}>
              {translate('fangfan.designer.forms.preview')}
            </Button>
          </Stack>
          <Collapse in={preview && form.fields.length > 0} unmountOnExit>
            <Box sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }} data-testid="form-preview">
              <SchemaForm key={JSON.stringify(schema)} schema={schema} showTitle onSubmit={async () => undefined} submitLabel={translate('fangfan.designer.forms.preview_submit')} idPrefix={`preview_${form.key}`} />
            </Box>
          </Collapse>
        </Stack>
      </CardContent>
    </Card>
  );
}

function FieldRow({ field, problems, onChange, onRemove }: { field: DesignedField; problems: string[]; onChange: (f: DesignedField) => void; onRemove: () => void }) {
  const translate = useTranslate();
  const [options, setOptions] = useState(optionsText(field.options));
  return (
    <Box sx={{ borderLeft: 3, borderColor: problems.length ? 'warning.main' : 'divider', pl: 1 }} data-testid="form-field">
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
        <TextField size="small" label={translate('fangfan.designer.forms.field_title')} value={field.title} onChange={(e) => onChange({ ...field, title: e.target.value })} inputProps={{ 'data-testid': 'field-title' }} sx={{ flex: { sm: '2 1 160px' }, minWidth: 0 }} />
        <TextField
          size="small"
          label={translate('fangfan.designer.forms.field_key')}
          value={field.type === 'household' ? 'householdId' : field.key}
          disabled={field.type === 'household'}
          onChange={(e) => onChange({ ...field, key: e.target.value.trim() })}
          inputProps={{ 'data-testid': 'field-key' }}
          sx={{ flex: { sm: '1 1 120px' }, minWidth: 0 }}
        />
        <TextField
          select
          size="small"
          label={translate('fangfan.designer.forms.field_type')}
          value={field.type}
          onChange={(e) => onChange({ ...field, type: e.target.value as FieldType, options: e.target.value === 'choice' ? parseOptions(options) : undefined })}
          SelectProps={{ native: true }}
          inputProps={{ 'data-testid': 'field-type' }}
          sx={{ flex: { sm: '0 0 140px' } }}
        >
          {FIELD_TYPES.map((t) => (
            <option key={t} value={t}>
              {translate(`fangfan.designer.forms.types.${t}`)}
            </option>
          ))}
        </TextField>
        <Stack direction="row" sx={{ alignItems: 'center' }}>
          <FormControlLabel control={<Checkbox checked={field.required} onChange={(e) => onChange({ ...field, required: e.target.checked })} />} label={translate('fangfan.designer.forms.required')} />
          <IconButton aria-label={translate('fangfan.designer.forms.remove_field')} onClick={onRemove}>
            <DeleteIcon />
          </IconButton>
        </Stack>
      </Stack>
      {field.type === 'choice' && (
        <TextField
          size="small"
          fullWidth
          multiline
          minRows={2}
          sx={{ mt: 1 }}
          label={translate('fangfan.designer.forms.options')}
          value={options}
          onChange={(e) => {
            setOptions(e.target.value);
            onChange({ ...field, options: parseOptions(e.target.value) });
          }}
          inputProps={{ 'data-testid': 'field-options' }}
        />
      )}
      {problems.map((p) => (
        <Typography key={p} variant="caption" color="warning.main" component="div">
          {p}
        </Typography>
      ))}
    </Box>
  );
}
