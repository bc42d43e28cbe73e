/** Custom widgets by the names `lib/schemaUi.ts` gives them. */
import type { RegistryWidgetsType } from '@rjsf/utils';
import { HouseholdWidget } from './HouseholdWidget';
import { VillageCadreWidget } from './VillageCadreWidget';
import { FileIdsWidget } from './FileIdsWidget';

export const widgets: RegistryWidgetsType = {
  household: HouseholdWidget,
  villageCadre: VillageCadreWidget,
  fileIds: FileIdsWidget,
};
