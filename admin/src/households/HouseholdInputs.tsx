/** The register's inputs, shared by create and edit; the API's field errors land on these inputs. */
import { CheckboxGroupInput, NumberInput, RadioButtonGroupInput, SelectInput, TextInput, maxValue, minValue, required, useGetList, useLocaleState, useRecordContext } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { Box, LinearProgress } from '@mui/material';
import { HOUSEHOLD_STATUSES, LOW_INCOME_GROUPS } from '../../../contracts/vocabulary';
import type { HouseholdRecord, VillageRecord } from '../api/types';
import { choicesOf } from '../lib/text';
import { checkIdNumber, checkPhone } from '../lib/validators';

const idNumber = (value: unknown) => checkIdNumber(value);
const phone = (value: unknown) => checkPhone(value);

function PlaceInputs() {
  const { data: villages, isPending } = useGetList<VillageRecord>('villages', { pagination: { page: 1, perPage: 1000 }, sort: { field: 'id', order: 'ASC' } });
  const town = useWatch({ name: 'town' }) as string | undefined;
  if (isPending || !villages) return <LinearProgress sx={{ my: 2 }} />;
  const towns = [...new Set(villages.map((v) => v.town))].map((t) => ({ id: t, name: t }));
  const inTown = villages.filter((v) => v.town === town).map((v) => ({ id: v.name, name: v.name }));
  return (
    <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
      <SelectInput source="town" choices={towns} validate={required()} sx={{ minWidth: 160 }} />
      <SelectInput source="village" choices={inTown} validate={required()} sx={{ minWidth: 160 }} disabled={!town} />
    </Box>
  );
}

export function HouseholdInputs() {
  const [locale] = useLocaleState();
  const record = useRecordContext<HouseholdRecord>();
  return (
    <>
      <TextInput source="headName" validate={required()} />
      <TextInput source="idNumber" validate={[required(), idNumber]} disabled={!!record?.idNumberMasked} />
      <TextInput source="phone" validate={phone} disabled={!!record?.idNumberMasked} />
      <PlaceInputs />
      <NumberInput source="memberCount" validate={[required(), minValue(1), maxValue(30)]} min={1} max={30} step={1} />
      <RadioButtonGroupInput source="status" choices={choicesOf(HOUSEHOLD_STATUSES, locale)} />
      <CheckboxGroupInput source="lowIncomeGroups" choices={choicesOf(LOW_INCOME_GROUPS, locale)} />
    </>
  );
}
