import { associateKey, normaliseName, normalisePostcode, placeKey } from './link-keys';

describe('normaliseName', () => {
  it('trims, collapses inner whitespace and folds case', () => {
    expect(normaliseName('  Jason  SMITH ')).toBe('jason smith');
    expect(normaliseName('jason\tsmith')).toBe('jason smith');
  });

  it('drops punctuation that does not tell people apart, and accents', () => {
    expect(normaliseName("O'Brien")).toBe(normaliseName('OBrien'));
    expect(normaliseName('Smith-Jones')).toBe('smith jones');
    expect(normaliseName('J. Smith')).toBe('j smith');
    expect(normaliseName('Zoë Ångström')).toBe('zoe angstrom');
    expect(normaliseName('“Jay”, Smith')).toBe('jay smith');
  });

  it('keeps different people different', () => {
    expect(normaliseName('Jason Smith')).not.toBe(normaliseName('Jayson Smith'));
    expect(normaliseName('Jason Smith')).not.toBe(normaliseName('Smith Jason'));
  });
});

describe('normalisePostcode', () => {
  it.each([
    ['s1 2ab', 'S1 2AB'],
    ['S12AB', 'S1 2AB'],
    [' s1   2AB ', 'S1 2AB'],
    ['s11 8ux', 'S11 8UX'],
    ['sw1a1aa', 'SW1A 1AA'],
    ['dn1 1aa', 'DN1 1AA'],
    ['gir0aa', 'GIR 0AA'],
  ])('%s is %s', (given, expected) => expect(normalisePostcode(given)).toBe(expected));

  it('keeps what is not a postcode as upper-case text, spaces collapsed', () => {
    expect(normalisePostcode(' near  the park ')).toBe('NEAR THE PARK');
    expect(normalisePostcode('S1')).toBe('S1');
    expect(normalisePostcode('123 456')).toBe('123 456');
  });
});

describe('associateKey', () => {
  it('gives one key to two spellings of one name, showing the spelling typed', () => {
    expect(associateKey('Jason  SMITH')).toEqual({ kind: 'associate', key: 'name:jason smith', display: 'Jason SMITH' });
    expect(associateKey('jason smith')?.key).toBe('name:jason smith');
  });

  it('names nobody for "unknown", "friends" and empty names', () => {
    for (const name of ['unknown', 'Not known', 'friends', 'N/A', ' ', '-']) expect(associateKey(name)).toBeNull();
  });
});

describe('placeKey', () => {
  it('keys a place by its postcode when it has a valid one', () => {
    expect(placeKey('12 High Street', 's1 2ab')).toEqual({ kind: 'place', key: 'postcode:S1 2AB', display: '12 High Street, S1 2AB' });
    expect(placeKey('flat 3, 12 high st', 'S12AB')?.key).toBe('postcode:S1 2AB');
  });

  it('finds a postcode written in the address', () => {
    expect(placeKey('12 High Street, Sheffield S1 2AB')).toEqual({ kind: 'place', key: 'postcode:S1 2AB', display: '12 High Street, Sheffield S1 2AB' });
    expect(placeKey('the flats by s12ab')?.key).toBe('postcode:S1 2AB');
  });

  it('keys by the address text without a postcode, or with an invalid one', () => {
    expect(placeKey('  Castle  Market, Sheffield ')).toEqual({ kind: 'place', key: 'address:castle market sheffield', display: 'Castle Market, Sheffield' });
    expect(placeKey('castle market sheffield')?.key).toBe('address:castle market sheffield');
    expect(placeKey('Castle Market', 'S1')).toEqual({ kind: 'place', key: 'address:castle market', display: 'Castle Market, S1' });
  });

  it('names nowhere for "home", "unknown" and the like', () => {
    for (const place of ['home', 'Home', 'unknown', 'town centre', "a friend's house"]) expect(placeKey(place)).toBeNull();
  });
});
