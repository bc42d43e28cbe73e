/**
 * A form generated from a catalogue JSON Schema (start forms, step forms, signal payloads) with rjsf.
 * Client-side validation in the console's language; on submit the API decides, and its refusal is
 * shown where it belongs: 400 field errors on the fields (`extraErrors`), anything else on the form
 * (a 422 names the rule that refuses it).
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Alert, AlertTitle, Box, Button, CircularProgress, Stack } from '@mui/material';
import Form from '@rjsf/mui';
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { ErrorSchema, RJSFSchema } from '@rjsf/utils';
import { useTranslate } from 'react-admin';
import { buildUiSchema, literalChoicesAsEnums } from '../lib/schemaUi';
import { toFormFailure, hasFieldErrors, type FormFailure } from '../lib/serverErrors';
import { pruneEmpty } from '../lib/prune';
import { localizeErrors } from './localizeErrors';
import { widgets } from './widgets';
import type { FormContext } from './context';

export interface SchemaFormProps {
  schema: RJSFSchema;
  onSubmit: (data: Record<string, unknown>) => Promise<unknown>;
  /** Called after onSubmit resolved. */
  onSuccess?: (result: unknown) => void;
  submitLabel?: string;
  context?: FormContext;
  initialData?: Record<string, unknown>;
  /** Where the API puts this form's fields in its error details (`input` for a start form). */
  errorRoot?: string;
  onCancel?: () => void;
  /** Extra content under a refusal (e.g. a link to the case that already exists). */
  failureExtra?: (failure: FormFailure) => ReactNode;
  idPrefix?: string;
  /** Show data only (a completed step's form). */
  readonly?: boolean;
  /** Show the schema's own title above the form (off where a card or dialog already names it). */
  showTitle?: boolean;
}

/** The catalogue's own formats besides JSON Schema's: an uploaded file's id. */
const validator = customizeValidator({ customFormats: { 'file-id': /^F[0-9a-f]{32}$/ } });

/** No value is chosen for the user: enumerations start empty, optional sections stay absent. */
const DEFAULTS = { constAsDefaults: 'skipOneOf', emptyObjectFields: 'skipEmptyDefaults' } as const;

const TITLE_BY_STATUS: Record<number, string> = {
  400: 'fangfan.form.fix_fields',
  403: 'fangfan.form.forbidden',
  409: 'fangfan.form.conflict',
  422: 'fangfan.form.rule',
};

export function FailureAlert({ failure, children }: { failure: FormFailure; children?: ReactNode }) {
  const translate = useTranslate();
  const title = translate(TITLE_BY_STATUS[failure.status ?? 0] ?? 'fangfan.form.error');
  const fieldOnly = failure.status === 400 && hasFieldErrors(failure) && !failure.formErrors.length;
  return (
    <Alert severity={failure.status === 422 || failure.status === 409 ? 'warning' : 'error'} role="alert" data-testid="form-failure">
      <AlertTitle>{title}</AlertTitle>
      {!fieldOnly && <Box sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{failure.message}</Box>}
      {failure.formErrors.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 2 }}>
          {failure.formErrors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </Box>
      )}
      {children}
    </Alert>
  );
}

export function SchemaForm({
  schema,
  onSubmit,
  onSuccess,
  submitLabel,
  context,
  initialData,
  errorRoot,
  onCancel,
  failureExtra,
  idPrefix,
  readonly,
  showTitle = false,
}: SchemaFormProps) {
  const translate = useTranslate();
  const form = useMemo(() => literalChoicesAsEnums(schema), [schema]);
  const uiSchema = useMemo(() => buildUiSchema(form), [form]);
  const shown = useMemo(() => (showTitle ? form : { ...form, title: undefined, description: undefined }), [form, showTitle]);
  const [formData, setFormData] = useState<Record<string, unknown>>(initialData ?? {});
  const [extraErrors, setExtraErrors] = useState<ErrorSchema | undefined>();
  const [failure, setFailure] = useState<FormFailure | undefined>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async (data: Record<string, unknown>) => {
    setSubmitting(true);
    setFailure(undefined);
    setExtraErrors(undefined);
    try {
      const result = await onSubmit(data);
      onSuccess?.(result);
    } catch (err) {
      const f = toFormFailure(err, schema, { root: errorRoot, translate });
      setFailure(f);
      setExtraErrors(hasFieldErrors(f) ? f.extraErrors : undefined);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Box sx={{ '& .MuiFormControl-root': { my: 0.5 }, '& legend': { fontSize: '1rem' } }}>
      <Form
        schema={shown}
        uiSchema={{ ...uiSchema, 'ui:submitButtonOptions': { norender: !!readonly } }}
        formData={formData}
        formContext={context ?? {}}
        validator={validator}
        widgets={widgets}
        idPrefix={idPrefix ?? 'root'}
        extraErrors={extraErrors}
        showErrorList={false}
        noHtml5Validate
        focusOnFirstError
        experimental_defaultFormStateBehavior={DEFAULTS}
        readonly={readonly}
        disabled={submitting}
        transformErrors={(errors) => localizeErrors(errors, translate)}
        onError={() => undefined /* shown on the fields */}
        onChange={(e) => setFormData(pruneEmpty(schema, e.formData ?? {}) as Record<string, unknown>)}
        onSubmit={(e) => void submit(pruneEmpty(schema, e.formData ?? {}) as Record<string, unknown>)}
      >
        {readonly ? (
          <></>
        ) : (
          <Stack spacing={1.5} sx={{ mt: 2 }}>
            {failure && <FailureAlert failure={failure}>{failureExtra?.(failure)}</FailureAlert>}
            <Stack direction="row" spacing={1}>
              <Button type="submit" variant="contained" disabled={submitting} startIcon={submitting ? <CircularProgress size={16} /> : undefined}>
                {submitting ? translate('fangfan.form.submitting') : (submitLabel ?? translate('fangfan.form.submit'))}
              </Button>
              {onCancel && (
                <Button onClick={onCancel} disabled={submitting}>
                  {translate('fangfan.form.cancel')}
                </Button>
              )}
            </Stack>
          </Stack>
        )}
      </Form>
    </Box>
  );
}
