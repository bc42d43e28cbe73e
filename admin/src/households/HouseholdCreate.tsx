import { Create, SimpleForm } from 'react-admin';
import { useActor } from '../common/useActor';
import { HouseholdInputs } from './HouseholdInputs';

export function HouseholdCreate() {
  const actor = useActor();
  return (
    <Create redirect="show" mutationMode="pessimistic">
      <SimpleForm defaultValues={{ town: actor?.town, village: actor?.village, status: 'ordinary', lowIncomeGroups: [], memberCount: 1 }}>
        <HouseholdInputs />
      </SimpleForm>
    </Create>
  );
}
