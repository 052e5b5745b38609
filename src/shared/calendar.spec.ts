import { endOfUkDay, isCalendarDate, ukDateOf } from './calendar';

describe('UK calendar dates', () => {
  it.each([
    ['2026-11-25', true],
    ['2028-02-29', true],
    ['2026-02-30', false],
    ['2026-11-25T10:00:00Z', false],
    ['25/11/2026', false],
    ['', false],
  ])('%s is a calendar date: %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('takes the UK day of an instant, in winter and in summer time', () => {
    expect(ukDateOf('2026-11-25T23:30:00.000Z')).toBe('2026-11-25');
    expect(ukDateOf('2026-06-30T23:30:00.000Z')).toBe('2026-07-01');
  });

  it('dates every instant of an hour alike, and each side of a UK midnight apart, the days the clocks change included', () => {
    expect(ukDateOf('2026-06-30T22:00:00.000Z')).toBe('2026-06-30');
    expect(ukDateOf('2026-06-30T22:59:59.999Z')).toBe('2026-06-30');
    expect(ukDateOf('2026-06-30T23:00:00.000Z')).toBe('2026-07-01');
    expect(ukDateOf('2026-03-28T23:59:59.999Z')).toBe('2026-03-28');
    expect(ukDateOf('2026-03-29T22:59:59.999Z')).toBe('2026-03-29');
    expect(ukDateOf('2026-03-29T23:00:00.000Z')).toBe('2026-03-30');
    expect(ukDateOf('2026-10-24T22:59:59.999Z')).toBe('2026-10-24');
    expect(ukDateOf('2026-10-24T23:00:00.000Z')).toBe('2026-10-25');
    expect(ukDateOf('2026-10-25T23:59:59.999Z')).toBe('2026-10-25');
    expect(ukDateOf('2026-10-26T00:00:00.000Z')).toBe('2026-10-26');
    expect(ukDateOf('2026-10-26T00:00:00+01:00')).toBe('2026-10-25');
    expect(() => ukDateOf('not an instant')).toThrow(RangeError);
  });

  it('ends a day at the next UK midnight', () => {
    expect(endOfUkDay('2026-11-25')).toBe('2026-11-26T00:00:00.000Z');
    expect(endOfUkDay('2026-06-30')).toBe('2026-06-30T23:00:00.000Z');
  });

  it('ends the days the clocks change on at their own midnight', () => {
    // Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
    expect(endOfUkDay('2026-03-28')).toBe('2026-03-29T00:00:00.000Z');
    expect(endOfUkDay('2026-03-29')).toBe('2026-03-29T23:00:00.000Z');
    expect(endOfUkDay('2026-10-24')).toBe('2026-10-24T23:00:00.000Z');
    expect(endOfUkDay('2026-10-25')).toBe('2026-10-26T00:00:00.000Z');
  });
});
