/**
 * The register's field rules, as pure functions shared by the JSON API and the CSV/XLSX import:
 * each broken rule becomes a detail naming the field and the rule.
 */
import type { ErrorDetail } from '../errors';
import { HOUSEHOLD_STATUSES, LOW_INCOME_GROUPS, type HouseholdStatus, type LowIncomeGroup } from '../../contracts/vocabulary';
import { validateIdNumber } from './id-number';
import { validatePhone } from './phone';

export const MEMBER_COUNT = { min: 1, max: 30 } as const;
export const HEAD_NAME_MAX = 40;

/** The fields a client may write (monitoring fields are the workflows' and read-only). */
export interface HouseholdFields {
  headName: string;
  idNumber: string;
  phone: string | null;
  town: string;
  village: string;
  memberCount: number;
  status: HouseholdStatus;
  lowIncomeGroups: LowIncomeGroup[];
}
export const HOUSEHOLD_FIELDS = ['headName', 'idNumber', 'phone', 'town', 'village', 'memberCount', 'status', 'lowIncomeGroups'] as const;
export const REQUIRED_FIELDS = ['headName', 'idNumber', 'town', 'village', 'memberCount'] as const;

/** Where households may live: the village table. */
export interface PlaceDirectory {
  hasTown(town: string): boolean;
  hasVillage(town: string, village: string): boolean;
}

export function placeDirectory(villages: { town: string; name: string }[]): PlaceDirectory {
  const towns = new Set(villages.map((v) => v.town));
  const pairs = new Set(villages.map((v) => `${v.town}\u0000${v.name}`));
  return { hasTown: (t) => towns.has(t), hasVillage: (t, v) => pairs.has(`${t}\u0000${v}`) };
}

export const NAME_RE = /^[\p{L}\p{M}·•・.'\- ]+$/u;

/**
 * Checks the fields present in `input` (absent ones are not checked: a partial update) and returns
 * them normalised (trimmed; an ID number's x upper-cased; an empty phone → null), with the details.
 */
export function checkHouseholdFields(
  input: Partial<Record<keyof HouseholdFields, unknown>>,
  places: PlaceDirectory,
  today: string,
): { value: Partial<HouseholdFields>; details: ErrorDetail[] } {
  const details: ErrorDetail[] = [];
  const value: Partial<HouseholdFields> = {};
  const fail = (field: string, rule: string, message: string) => details.push({ field, rule, message });
  const has = (k: keyof HouseholdFields) => Object.prototype.hasOwnProperty.call(input, k) && input[k] !== undefined;

  if (has('headName')) {
    const name = typeof input.headName === 'string' ? input.headName.trim() : '';
    if (!name) fail('headName', 'required', 'must not be empty (户主姓名必填)');
    else if ([...name].length > HEAD_NAME_MAX) fail('headName', 'maxLength', `must be at most ${HEAD_NAME_MAX} characters`);
    else if (!NAME_RE.test(name)) fail('headName', 'format', 'may contain letters (汉字), spaces and · only');
    else value.headName = name;
  }
  if (has('idNumber')) {
    const r = validateIdNumber(typeof input.idNumber === 'string' ? input.idNumber : String(input.idNumber), today);
    if (r.ok) value.idNumber = r.value;
    else fail('idNumber', r.rule, r.message);
  }
  if (has('phone')) {
    const phone = input.phone === null ? '' : String(input.phone).trim();
    if (!phone) value.phone = null;
    else {
      const r = validatePhone(phone);
      if (r.ok) value.phone = r.value;
      else fail('phone', r.rule, r.message);
    }
  }
  const town = has('town') ? String(input.town).trim() : undefined;
  const village = has('village') ? String(input.village).trim() : undefined;
  if (town !== undefined) {
    if (!town) fail('town', 'required', 'must not be empty (镇必填)');
    else if (!places.hasTown(town)) fail('town', 'exists', `unknown town "${town}" (not in the village table)`);
    else value.town = town;
  }
  if (village !== undefined) {
    if (!village) fail('village', 'required', 'must not be empty (村必填)');
    else if (value.town !== undefined && !places.hasVillage(value.town, village)) {
      fail('village', 'belongsToTown', `"${village}" is not a village of ${value.town}`);
    } else if (value.town !== undefined || town === undefined) value.village = village;
  }
  if (has('memberCount')) {
    const n = input.memberCount;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < MEMBER_COUNT.min || n > MEMBER_COUNT.max) {
      fail('memberCount', 'range', `must be a whole number from ${MEMBER_COUNT.min} to ${MEMBER_COUNT.max} (家庭人口)`);
    } else value.memberCount = n;
  }
  if (has('status')) {
    const s = String(input.status);
    if (!Object.prototype.hasOwnProperty.call(HOUSEHOLD_STATUSES, s)) fail('status', 'enum', `must be one of ${Object.keys(HOUSEHOLD_STATUSES).join(', ')}`);
    else value.status = s as HouseholdStatus;
  }
  if (has('lowIncomeGroups')) {
    const groups = input.lowIncomeGroups;
    if (!Array.isArray(groups)) fail('lowIncomeGroups', 'type', 'must be a list');
    else {
      const bad = groups.filter((g) => typeof g !== 'string' || !Object.prototype.hasOwnProperty.call(LOW_INCOME_GROUPS, g));
      if (bad.length) fail('lowIncomeGroups', 'enum', `未知的低收入人群类别 ${bad.map((b) => JSON.stringify(b)).join('、')} (allowed: ${Object.keys(LOW_INCOME_GROUPS).join(', ')})`);
      else if (new Set(groups).size !== groups.length) fail('lowIncomeGroups', 'uniqueItems', 'lists a group twice');
      else value.lowIncomeGroups = groups as LowIncomeGroup[];
    }
  }
  return { value, details };
}

/** A vocabulary value written as its key, its Chinese term or its English gloss (for imports). */
function byLabel<K extends string>(vocab: Record<K, { zh: string; en: string }>, text: string): K | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  for (const [k, v] of Object.entries(vocab) as [K, { zh: string; en: string }][]) {
    if (k === t || v.zh === t || v.en.toLowerCase() === lower) return k;
  }
  return undefined;
}

export const statusFromLabel = (text: string) => byLabel(HOUSEHOLD_STATUSES, text);
export const lowIncomeGroupFromLabel = (text: string) => byLabel(LOW_INCOME_GROUPS, text);
