/**
 * 登记村庄 (admins): a town (one the API knows, or a new one typed in) and the village's name. The
 * API's refusals stay on the form: field errors on their fields, a 409 (the town already has that
 * village) on the name, and the message of any 400/409/422 above the fields.
 */
import { useMemo, useState } from 'react';
import { Box, CardContent, Stack, Typography } from '@mui/material';
import { AutocompleteInput, BooleanInput, Create, Form, TextInput, Toolbar, maxLength, required, useTranslate } from 'react-admin';
import { useWatch } from 'react-hook-form';
import type { RJSFSchema } from '@rjsf/utils';
import type { VillageRecord } from '../api/types';
import { FailureAlert } from '../forms/SchemaForm';
import { toFormFailure, type FormFailure } from '../lib/serverErrors';
import { townsOf, useVillages } from './useTowns';

/** The body `POST /api/villages` takes (server/routes/directory.ts): both names 1–40 characters, no edge spaces. */
const BODY: RJSFSchema = { type: 'object', properties: { town: { type: 'string' }, name: { type: 'string' }, key: { type: 'boolean' } } };
const NAME_MAX = 40;

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

function TownInput() {
  const { data: villages, isPending } = useVillages();
  const [added, setAdded] = useState<string[]>([]);
  const choices = useMemo(() => [...new Set([...townsOf(villages), ...added])].map((t) => ({ id: t, name: t })), [villages, added]);
  return (
    <AutocompleteInput
      source="town"
      choices={choices}
      isPending={isPending}
      validate={[required(), maxLength(NAME_MAX)]}
      onCreate={(filter?: string) => {
        const town = (filter ?? '').trim();
        if (!town) return undefined;
        setAdded((a) => [...a, town]);
        return { id: town, name: town };
      }}
      createItemLabel="fangfan.villages.new_town"
      helperText="fangfan.villages.town_hint"
      fullWidth
    />
  );
}

/** The villages the chosen town already has, so a duplicate is seen before it is sent. */
function ExistingVillages() {
  const translate = useTranslate();
  const town = useWatch({ name: 'town' }) as string | undefined;
  const { data: villages } = useVillages();
  if (!town) return null;
  const names = (villages ?? []).filter((v) => v.town === town).map((v) => v.name);
  return (
    <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: -1, mb: 2, px: 1.75 }} data-testid="existing-villages">
      {names.length
        ? translate('fangfan.villages.existing', { town, names: names.join(translate('fangfan.list_separator')) })
        : translate('fangfan.villages.none_yet', { town })}
    </Typography>
  );
}

export function VillageCreate() {
  const translate = useTranslate();
  const [failure, setFailure] = useState<FormFailure>();
  return (
    <Create<VillageRecord>
      redirect="list"
      mutationMode="pessimistic"
      transform={(data: Partial<VillageRecord>) => {
        setFailure(undefined);
        return { town: trimmed(data.town), name: trimmed(data.name), key: !!data.key } as VillageRecord;
      }}
      mutationOptions={{ onError: (err) => setFailure(toFormFailure(err, BODY, { translate })) }}
    >
      {/* Form, not SimpleForm: SimpleForm hands `disableInvalidFormNotification` on to the DOM. The
          failure alert says what the notification would have. */}
      <Form defaultValues={{ key: false }} disableInvalidFormNotification>
        <CardContent>
          <Stack sx={{ alignItems: 'flex-start', minWidth: 0, maxWidth: { xs: '100%', sm: 480 } }}>
            {failure && (
              <Box sx={{ width: '100%', mb: 2 }}>
                <FailureAlert failure={failure} />
              </Box>
            )}
            <TownInput />
            <TextInput source="name" validate={[required(), maxLength(NAME_MAX)]} fullWidth />
            <ExistingVillages />
            <BooleanInput source="key" helperText="fangfan.villages.key_hint" />
          </Stack>
        </CardContent>
        <Toolbar />
      </Form>
    </Create>
  );
}
