/**
 * 起草政策版本 (administrators): the values in force as a form generated from their schema (GET /api/policy:
 * Chinese titles, units, bounds; deadline rules as a choice of calendar days, working days, end of month or
 * a duration), with the day it takes effect and why. Saved as a draft (POST /api/policy/versions); its page
 * then shows the changes in words for a second person to confirm. A value the API refuses is marked on
 * its field.
 */
import { useMemo } from 'react';
import { Alert, Card, CardContent, CircularProgress } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { RJSFSchema } from '@rjsf/utils';
import { Title, useDataProvider, useRedirect, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import type { AppDataProvider } from '../api/dataProvider';
import type { PolicyVersionRecord } from '../api/types';
import { SchemaForm } from '../forms/SchemaForm';
import { today } from '../lib/dates';

export function PolicyVersionCreate() {
  const translate = useTranslate();
  const redirect = useRedirect();
  const dataProvider = useDataProvider<AppDataProvider>();
  const inForce = useQuery({ queryKey: ['policyInForce'], queryFn: () => dataProvider.getPolicyInForce() });
  // `?from=<id>`: start from that version's values (rolling back to it), else from the version in force.
  const from = useSearchParams()[0].get('from');
  const base = useQuery({
    queryKey: ['policyVersion', from],
    queryFn: () => dataProvider.getOne<PolicyVersionRecord>('policy-versions', { id: from! }).then((r) => r.data),
    enabled: !!from,
  });
  // One form: when and why, then every section of the values (the API's error paths `values.<section>.<key>` land on their fields).
  const schema = useMemo<RJSFSchema | undefined>(
    () =>
      inForce.data && {
        type: 'object',
        required: ['effectiveFrom', 'note', 'values'],
        properties: {
          effectiveFrom: { type: 'string', format: 'date', title: translate('fangfan.policy.draft_effective_from') },
          note: { type: 'string', minLength: 1, maxLength: 2000, title: translate('fangfan.policy.draft_note') },
          values: { ...(inForce.data.schema as RJSFSchema), title: translate('fangfan.policy.draft_values', { name: base.data?.name ?? inForce.data.name }) },
        },
      },
    [inForce.data, base.data, translate],
  );
  return (
    <Card sx={{ mt: 1 }}>
      <Title title={translate('fangfan.policy.draft_title')} />
      <CardContent>
        {inForce.isPending && <CircularProgress size={24} />}
        {(inForce.error || base.error) && <Alert severity="error">{(inForce.error ?? base.error)!.message}</Alert>}
        {schema && inForce.data && (!from || base.data) && (
          <SchemaForm
            schema={schema}
            initialData={{ effectiveFrom: today(), note: '', values: (base.data?.values as Record<string, unknown> | undefined) ?? inForce.data.values }}
            submitLabel={translate('fangfan.policy.draft_save')}
            onSubmit={(data) => dataProvider.create('policy-versions', { data }).then((r) => r.data)}
            onSuccess={(created) => redirect('show', 'policy-versions', (created as { id: string }).id)}
            onCancel={() => redirect('list', 'policy-versions')}
            idPrefix="policy"
          />
        )}
      </CardContent>
    </Card>
  );
}
