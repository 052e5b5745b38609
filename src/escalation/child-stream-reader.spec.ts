import { personalDataErased, registered } from '../child-case/child-case.fixtures';
import { evolveChildStream, initialChildStream } from '../child-stream/child-stream';
import { ERASED } from '../erasure/field-encryption';
import { childSummaryForNotice } from './child-stream-reader';

const NOW = new Date('2026-11-25T10:00:00Z');

describe('what an e-mail may say about a child', () => {
  it('gives initials and age', () => {
    const state = [registered({ profile: { firstName: 'amy', lastName: 'Rowe', dateOfBirth: '2012-03-04', localAuthority: 'Sheffield' } })].reduce(evolveChildStream, initialChildStream());
    expect(childSummaryForNotice(state, 'c0ffee00-0000-0000-0000-000000000000', NOW)).toMatchObject({ childInitials: 'AR', childAgeYears: 14 });
  });

  it('gives neither once the personal data is erased', () => {
    const erasedProfile = { firstName: ERASED, lastName: ERASED, dateOfBirth: ERASED, localAuthority: 'Sheffield' };
    const state = [registered({ profile: erasedProfile }), personalDataErased()].reduce(evolveChildStream, initialChildStream());
    expect(childSummaryForNotice(state, 'c0ffee00-0000-0000-0000-000000000000', NOW)).toMatchObject({ childInitials: '?', childAgeYears: null });
  });
});
