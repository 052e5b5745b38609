import { ERASED } from '../erasure/field-encryption';
/**
 * How two spellings of one person or place become one key: "Jason  SMITH" and "jason smith" are one
 * associate, "s1 2ab" and "S12AB" one postcode. Pure, so the index, the read model and the specs
 * all agree on what "the same" means.
 */

export type LinkKind = 'associate' | 'place';

/** A person or place as the index knows it: `key` decides sameness, `display` is what people read. */
export interface LinkKey {
  kind: LinkKind;
  /** `name:jason smith`, `postcode:S1 2AB` or `address:12 high street sheffield`. */
  key: string;
  display: string;
}

/** Trimmed, inner whitespace collapsed: the spelling people typed, tidied, for display. */
export const tidy = (text: string): string => text.normalize('NFKC').trim().replace(/\s+/g, ' ');

/**
 * Case-folded, accents and punctuation that does not tell people apart removed: "O'Brien" is
 * "obrien", "Smith-Jones" is "smith jones", "J. Smith" is "j smith", "Zoë" is "zoe".
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export const normaliseName = normaliseText;

// Outward code (area, district, optional sub-district) then inward code (sector, unit); GIR 0AA is Girobank's.
const POSTCODE = /^(?:([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})|(GIR)(0AA))$/;
const POSTCODE_IN_TEXT = /\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b/;

/** A valid UK postcode as "S1 2AB"; null when it is not one. */
export function validPostcode(text: string): string | null {
  const squeezed = text.toUpperCase().replace(/\s+/g, '');
  const match = POSTCODE.exec(squeezed);
  if (!match) return null;
  const [outward, inward] = match[1] ? [match[1], match[2]] : [match[3], match[4]];
  return `${outward} ${inward}`;
}

/** "s1 2ab", "S12AB", " S1  2AB " → "S1 2AB"; not a postcode: kept as upper-case text, spaces collapsed. */
export const normalisePostcode = (text: string): string => validPostcode(text) ?? tidy(text).toUpperCase();

/** Values that name nobody and nowhere in particular: every child returned "home" is not a network. */
const NOBODY = new Set(['unknown', 'not known', 'n a', 'na', 'none', 'nobody', 'no one', 'alone', 'friend', 'friends', 'a friend', 'family', 'mum', 'dad', 'parents']);
const NOWHERE = new Set(['unknown', 'not known', 'n a', 'na', 'none', 'home', 'at home', 'school', 'placement', 'town', 'town centre', 'city centre', 'street', 'the street', 'friends', 'a friends', 'friends house', 'a friends house']);

/** The associate a name stands for; null for a name that names nobody ("unknown", "friends"). */
export function associateKey(name: string): LinkKey | null {
  if (name === ERASED) return null;
  const normalised = normaliseName(name);
  if (normalised.length < 2 || NOBODY.has(normalised)) return null;
  return { kind: 'associate', key: `name:${normalised}`, display: tidy(name) };
}

/**
 * The place an address stands for: keyed by its postcode when it has a valid one (given, or
 * written in the address), else by the address text; null for "home", "unknown" and the like.
 */
export function placeKey(place: string, postcode?: string): LinkKey | null {
  // Erased values would otherwise all share one key and link every erased child to each other.
  if (place === ERASED) return null;
  const text = tidy(place);
  const given = postcode === undefined || postcode.trim() === '' ? null : normalisePostcode(postcode);
  const found = validPostcode(given ?? '') ?? POSTCODE_IN_TEXT.exec(text.toUpperCase())?.slice(1, 3).join(' ') ?? null;
  const display = given && !text.toUpperCase().includes(given) ? `${text}, ${given}` : text;
  if (found) return { kind: 'place', key: `postcode:${found}`, display };
  const normalised = normaliseText(place);
  if (normalised.length < 2 || NOWHERE.has(normalised)) return null;
  return { kind: 'place', key: `address:${normalised}`, display };
}
