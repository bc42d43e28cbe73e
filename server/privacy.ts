/**
 * Personal data in responses. ID numbers and phones are shown whole only to those who need them to
 * work: administrators, the district supervisor, and the town officer or village cadre whose area
 * holds the household. Everyone else gets `500112********1234` and `138****5678`.
 */
import { coversPlace, type Actor, type Place } from '../contracts/roles';
import { maskIdNumber } from './validation/id-number';
import { maskPhone } from './validation/phone';

export { maskIdNumber, maskPhone };

export function maySeeIdNumber(actor: Pick<Actor, 'roles' | 'town' | 'village'>, place: Place): boolean {
  return coversPlace(actor, place);
}

/** The ID number and phone as this actor may see them. */
export function personalFields(
  actor: Pick<Actor, 'roles' | 'town' | 'village'>,
  row: Place & { idNumber: string; phone?: string | null },
): { idNumber: string; phone: string | null; idNumberMasked: boolean } {
  const visible = maySeeIdNumber(actor, row);
  return {
    idNumber: visible ? row.idNumber : maskIdNumber(row.idNumber),
    phone: row.phone ? (visible ? row.phone : maskPhone(row.phone)) : null,
    idNumberMasked: !visible,
  };
}
