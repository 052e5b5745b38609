import { readFileSync } from 'node:fs';

/**
 * Who receives escalation e-mails, per district, from a JSON file (see config/directory.json).
 * Loaded and validated once at start: a bad file stops the service with one line naming the
 * district and the field.
 */
export type RecipientRole = 'supervisor' | 'senior-officer' | 'lscb-lead' | 'coordinator';

export interface Person {
  name: string;
  email: string;
}

export interface DistrictDirectory {
  lscbLead: Person;
  coordinators: Person[];
  supervisors: Person[];
  /** By tier ("1", "2", "3"...): tier 1 is required, higher tiers fall back to the highest below. */
  seniorOfficers: Record<string, Person[]>;
}

export type Directory = Record<string, DistrictDirectory>;

export interface Recipient {
  role: RecipientRole;
  name: string;
  email: string;
}

export const DEFAULT_DIRECTORY_FILE = 'config/directory.json';

export class DirectoryError extends Error {}

export function loadDirectory(file = DEFAULT_DIRECTORY_FILE, expectedDistricts: string[] = []): Directory {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DirectoryError(`directory ${file}: cannot read it as JSON: ${(error as Error).message}`);
  }
  return parseDirectory(raw, file, expectedDistricts);
}

/** Validates the parsed file: `{ "districts": { "<district>": { lscbLead, coordinators, supervisors, seniorOfficers } } }`. */
export function parseDirectory(raw: unknown, source = 'directory', expectedDistricts: string[] = []): Directory {
  const fail = (where: string, problem: string): never => {
    throw new DirectoryError(`directory ${source}: ${where}: ${problem}`);
  };
  if (!isObject(raw) || !isObject(raw.districts)) return fail('districts', 'expected an object keyed by district name');
  const directory: Directory = {};
  for (const [district, entry] of Object.entries(raw.districts)) {
    if (!isObject(entry)) return fail(district, 'expected an object with lscbLead, coordinators, supervisors, seniorOfficers');
    const person = (value: unknown, where: string): Person => {
      if (!isObject(value)) return fail(where, 'expected { "name": ..., "email": ... }');
      const { name, email } = value;
      if (typeof name !== 'string' || !name.trim() || /[\r\n]/.test(name)) return fail(`${where}.name`, 'expected a one-line, non-empty name');
      if (typeof email !== 'string' || !EMAIL.test(email)) return fail(`${where}.email`, `${JSON.stringify(email)} is not an e-mail address`);
      return { name: name.trim(), email };
    };
    const people = (value: unknown, where: string): Person[] => {
      if (!Array.isArray(value) || value.length === 0) return fail(where, 'expected a non-empty list of people');
      return value.map((item, index) => person(item, `${where}[${index}]`));
    };
    const tiers = entry.seniorOfficers;
    if (!isObject(tiers)) return fail(`${district}.seniorOfficers`, 'expected an object keyed by tier ("1", "2", "3")');
    for (const tier of Object.keys(tiers)) {
      if (!/^[1-9][0-9]*$/.test(tier)) fail(`${district}.seniorOfficers`, `tier ${JSON.stringify(tier)} is not a positive whole number`);
    }
    if (!('1' in tiers)) fail(`${district}.seniorOfficers`, 'tier "1" is required (higher tiers fall back to it)');
    directory[district] = {
      lscbLead: person(entry.lscbLead, `${district}.lscbLead`),
      coordinators: people(entry.coordinators, `${district}.coordinators`),
      supervisors: people(entry.supervisors, `${district}.supervisors`),
      seniorOfficers: Object.fromEntries(
        Object.entries(tiers).map(([tier, list]) => [tier, people(list, `${district}.seniorOfficers["${tier}"]`)]),
      ),
    };
  }
  for (const district of expectedDistricts) {
    if (!findDistrict(directory, district)) fail(district, 'the district is configured (DISTRICTS) but has no entry in the directory');
  }
  return directory;
}

/**
 * The people to tell, in the order of `roles`, de-duplicated by e-mail (the first role wins).
 * A senior officer at a tier with no entry falls back to the highest configured tier below it.
 */
export function resolveRecipients(directory: Directory, district: string, roles: RecipientRole[], tier: number): Recipient[] {
  const entry = findDistrict(directory, district);
  if (!entry) throw new DirectoryError(noEntryFor(district));
  const byRole = (role: RecipientRole): Person[] => {
    switch (role) {
      case 'lscb-lead':
        return [entry.lscbLead];
      case 'coordinator':
        return entry.coordinators;
      case 'supervisor':
        return entry.supervisors;
      case 'senior-officer':
        return entry.seniorOfficers[String(seniorTier(entry, tier))] ?? [];
    }
  };
  const seen = new Set<string>();
  const recipients: Recipient[] = [];
  for (const role of roles) {
    for (const { name, email } of byRole(role)) {
      const key = email.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      recipients.push({ role, name, email });
    }
  }
  return recipients;
}

/**
 * resolveRecipients where a district the directory lacks is an answer, not an error: no one, and
 * why. For work that must go on past such an escalation (the notifier, the sweep, a synthetic history).
 */
export function recipientsOrReason(directory: Directory, district: string, roles: RecipientRole[], tier: number): { recipients: Recipient[]; noOneBecause: string | null } {
  if (!findDistrict(directory, district)) return { recipients: [], noOneBecause: noEntryFor(district) };
  return { recipients: resolveRecipients(directory, district, roles, tier), noOneBecause: null };
}

export const noEntryFor = (district: string): string => `directory: no entry for district ${JSON.stringify(district)}`;

function seniorTier(entry: DistrictDirectory, tier: number): number {
  const below = Object.keys(entry.seniorOfficers)
    .map(Number)
    .filter((configured) => configured <= tier);
  return below.length ? Math.max(...below) : 1;
}

/** The districts that have an entry, in lower case: a district matches its entry whatever its case (as findDistrict). */
export const listedDistricts = (directory: Directory): string[] => Object.keys(directory).map((name) => name.toLowerCase());

function findDistrict(directory: Directory, district: string): DistrictDirectory | undefined {
  if (Object.hasOwn(directory, district)) return directory[district];
  const key = Object.keys(directory).find((name) => name.toLowerCase() === district.toLowerCase());
  return key === undefined ? undefined : directory[key];
}

/** Deliberately plain: one @, no spaces, no characters that could break a header. */
const EMAIL = /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]+$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
