/** Custom widgets by the names `lib/schemaUi.ts` gives them. */
import type { RegistryWidgetsType } from '@rjsf/utils';
import { DateWidget } from './DateWidget';
import { HouseholdWidget } from './HouseholdWidget';
import { VillageCadreWidget } from './VillageCadreWidget';
import { DurationWidget } from './DurationWidget';
import { FileIdsWidget } from './FileIdsWidget';

export const widgets: RegistryWidgetsType = {
  household: HouseholdWidget,
  villageCadre: VillageCadreWidget,
  duration: DurationWidget,
  fileIds: FileIdsWidget,
  // rjsf's own name for `format: date`: replaces the browser's date input.
  DateWidget,
};
