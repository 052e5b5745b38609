import { EPISODE_ID, registered, reported, returned } from '../child-case/child-case.fixtures';
import { interviewCompleted } from '../return-work/return-work.fixtures';
import { noticeRecommended } from '../warning-notices/warning-notice.fixtures';
import { mentionsOf } from './link-mentions';

const keys = (event: Parameters<typeof mentionsOf>[0]) => mentionsOf(event).map((m) => [m.source, m.key, m.episodeId]);

describe('mentionsOf', () => {
  it('reads the Philomena profile’s associates and places frequented, outside any episode', () => {
    const event = registered({
      profile: { localAuthority: 'Sheffield', philomenaProfile: { associates: ['Jason  Smith', 'unknown'], placesFrequented: ['Castle Market', 'S1 2AB'] } },
    });
    expect(keys(event)).toEqual([
      ['profile', 'name:jason smith', null],
      ['profile', 'address:castle market', null],
      ['profile', 'postcode:S1 2AB', null],
    ]);
  });

  it('reads the last-seen place, sightings, associates and locations of an episode', () => {
    expect(keys(reported({ lastSeenPlace: 'Bus station, S1 2BP' }))).toEqual([['report', 'postcode:S1 2BP', EPISODE_ID]]);
    expect(keys({ type: 'SightingRecorded', episodeId: EPISODE_ID, sightingId: 's', seenAt: 'x', place: 'Castle  Market' })).toEqual([
      ['sighting', 'address:castle market', EPISODE_ID],
    ]);
    expect(keys({ type: 'AssociateNamed', episodeId: EPISODE_ID, associateId: 'a', name: 'JASON smith' })).toEqual([
      ['associate', 'name:jason smith', EPISODE_ID],
    ]);
    expect(keys({ type: 'LocationNamed', episodeId: EPISODE_ID, locationId: 'l', place: '12 High St', postcode: 's12ab' })).toEqual([
      ['location', 'postcode:S1 2AB', EPISODE_ID],
    ]);
  });

  it('reads where and with whom the child was found, and what the return interview found', () => {
    expect(keys(returned({ where: 'home', withWhom: 'Jason Smith' }))).toEqual([['return', 'name:jason smith', EPISODE_ID]]);
    expect(keys(interviewCompleted())).toEqual([
      ['return-interview', 'address:a flat above the takeaway on london road', EPISODE_ID],
      ['return-interview', 'name:two older males she met online', EPISODE_ID],
    ]);
  });

  it('reads the person a warning notice is against', () => {
    expect(keys(noticeRecommended({ against: 'Darren  Noone' }))).toEqual([['warning-notice', 'name:darren noone', null]]);
  });

  it('names one key once per event', () => {
    expect(keys(returned({ where: 'S1 2AB', withWhom: 'x' }))).toEqual([['return', 'postcode:S1 2AB', EPISODE_ID]]);
    const twice = registered({ profile: { localAuthority: 'Sheffield', philomenaProfile: { associates: ['Jason Smith', 'jason  SMITH'] } } });
    expect(keys(twice)).toEqual([['profile', 'name:jason smith', null]]);
  });
});
