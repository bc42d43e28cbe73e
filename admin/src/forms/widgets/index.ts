/** Custom widgets by the names `lib/schemaUi.ts` gives them. */
import type { RegistryWidgetsType } from '@rjsf/utils';
import { DateWidget } from './DateWidget';
import { HouseholdWidget } from './HouseholdWidget';
import { VillageCadreWidget } from './VillageCadreWidget';

export const widgets: RegistryWidgetsType = {
  household: HouseholdWidget,
  villageCadre: VillageCadreWidget,
  // rjsf's own name for `format: date`: replaces the browser's date input.
  DateWidget,
};
