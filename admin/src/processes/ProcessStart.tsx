/**
 * 发起流程: pick a process type the user's role may start, fill the form generated from its
 * `startSchema`, and the case opens. `?type=…&householdId=…` preselects (e.g. from a household).
 */
import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, FormControlLabel, Radio, RadioGroup, Typography } from '@mui/material';
import { Title, useCreatePath, useDataProvider, useLocaleState, useNotify, useRedirect, useTranslate } from 'react-admin';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { mayStart } from '../../../contracts/authz';
import type { AppDataProvider } from '../api/dataProvider';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { useCatalogue } from '../common/useCatalogue';
import { SchemaForm } from '../forms/SchemaForm';
import { pick } from '../lib/text';

export function ProcessStart() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const redirect = useRedirect();
  const createPath = useCreatePath();
  const actor = useActor();
  const [params] = useSearchParams();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { data: catalogue, isPending, error } = useCatalogue();
  const startable = (catalogue ?? []).filter((p) => actor && mayStart(actor, p));
  const [chosen, setChosen] = useState<string | undefined>(params.get('type') ?? undefined);
  const type = chosen ?? (startable.length === 1 ? startable[0].type : undefined);
  const def = startable.find((p) => p.type === type);
  const householdId = params.get('householdId');
  const start = useApiMutation({
    mutationFn: (input: Record<string, unknown>) => dataProvider.startProcess({ type: def!.type, input }),
  });

  return (
    <Box sx={{ mt: 1, mb: 2 }}>
      <Title title={translate('fangfan.start.title')} />
      <Card>
        <CardContent>
          {isPending && <CircularProgress size={24} />}
          {error && <Alert severity="error">{translate('fangfan.form.catalogue_error')}：{error.message}</Alert>}
          {!isPending && !error && !startable.length && <Alert severity="info">{translate('fangfan.start.no_types')}</Alert>}
          {startable.length > 0 && (
            <Box sx={{ mb: 2 }}>
              <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
                {translate('fangfan.start.pick_type')}
              </Typography>
              <RadioGroup value={type ?? ''} onChange={(e) => setChosen(e.target.value)}>
                {startable.map((p) => (
                  <FormControlLabel
                    key={p.type}
                    value={p.type}
                    control={<Radio />}
                    label={
                      <Box>
                        <Typography variant="body1">{pick(p.title, locale)}</Typography>
                        <Typography variant="caption" color="text.secondary">
                          {pick(p.description, locale)}
                        </Typography>
                      </Box>
                    }
                    sx={{ alignItems: 'flex-start', my: 0.5, '& .MuiRadio-root': { pt: 0.5 } }}
                  />
                ))}
              </RadioGroup>
            </Box>
          )}
          {def && (
            <SchemaForm
              key={`${def.type}-${locale}`}
              schema={def.startSchema}
              showTitle
              idPrefix="start"
              errorRoot="input"
              initialData={householdId && def.startSchema.properties?.householdId ? { householdId } : undefined}
              context={{ town: actor?.town, village: actor?.village, actorId: actor?.id }}
              submitLabel={translate('fangfan.start.submit')}
              onSubmit={(input) => start.mutateAsync(input)}
              onSuccess={(result) => {
                const { id } = result as { id: string };
                notify('fangfan.start.started', { type: 'success' });
                redirect(createPath({ resource: 'processes', id, type: 'show' }));
              }}
              failureExtra={(f) =>
                f.existingId ? (
                  <Box sx={{ mt: 1 }}>
                    <Button size="small" variant="outlined" component={RouterLink} to={createPath({ resource: 'processes', id: f.existingId, type: 'show' })}>
                      {translate('fangfan.start.open_existing')}
                    </Button>
                  </Box>
                ) : null
              }
            />
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
