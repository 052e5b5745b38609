import * as fc from 'fast-check';
import { asStoredInJsonb } from './stored-in-jsonb';

const jsonRoundTrip = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

describe('a value as jsonb stores it', () => {
  it('is what a JSON round trip makes of it, whatever the value', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withBoxedValues: true, withMap: true, withSet: true, withSparseArray: true, withNullPrototype: true, withTypedArray: true }), (value) => {
        expect(asStoredInJsonb(value)).toStrictEqual(jsonRoundTrip(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves out undefined properties, nulls undefined in arrays, and writes instants as text', () => {
    const at = new Date('2026-11-25T07:00:00Z');
    expect(asStoredInJsonb({ notes: undefined, seen: [undefined, at], count: -0, ratio: Number.NaN })).toStrictEqual({ seen: [null, '2026-11-25T07:00:00.000Z'], count: 0, ratio: null });
    expect(asStoredInJsonb(undefined)).toBeNull();
  });

  it('keeps a property named __proto__ as a property', () => {
    const stored = asStoredInJsonb(JSON.parse('{"__proto__": {"polluted": true}}') as object);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(Object.keys(stored)).toEqual(['__proto__']);
  });
});
