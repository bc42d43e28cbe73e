import { Edit, SimpleForm } from 'react-admin';
import { HouseholdInputs } from './HouseholdInputs';

/** Pessimistic: the API validates (check digit, places, duplicates) and its errors land on the fields. */
export function HouseholdEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm>
        <HouseholdInputs />
      </SimpleForm>
    </Edit>
  );
}
