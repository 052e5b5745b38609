import type { PhilomenaProfile } from '../child-case/child-case.events';
import { type EventFollowedBy, FollowedEvents } from '../child-stream/followed-events';
import { assertNever } from '../shared/refusal';
import { associateKey, type LinkKey, placeKey } from './link-keys';

/** Where a child's record names the person or place. */
export type MentionSource =
  | 'profile'
  | 'report'
  | 'sighting'
  | 'associate'
  | 'location'
  | 'return'
  | 'return-interview'
  | 'warning-notice';

/** One person or place named in one of a child's events; `episodeId` is null outside an episode (the profile, a notice). */
export interface Mention extends LinkKey {
  source: MentionSource;
  episodeId: string | null;
}

/**
 * The events that can name a person or place, and the personal fields `mentionsOf` reads of them:
 * a rebuild opens only these (the rest of a report, a return or an interview stays sealed).
 */
export const MENTIONING = FollowedEvents.of(
  'ChildRegistered',
  'ChildProfileUpdated',
  'ChildReportedMissing',
  'SightingRecorded',
  'AssociateNamed',
  'LocationNamed',
  'ChildReturned',
  'ReturnInterviewCompleted',
  'WarningNoticeRecommended',
).readingPersonalDataOf(
  'ChildRegistered.profile.philomenaProfile.associates',
  'ChildRegistered.profile.philomenaProfile.placesFrequented',
  'ChildProfileUpdated.changes.philomenaProfile.associates',
  'ChildProfileUpdated.changes.philomenaProfile.placesFrequented',
  'ChildReportedMissing.lastSeenPlace',
  'SightingRecorded.place',
  'AssociateNamed.name',
  'LocationNamed.place',
  'LocationNamed.postcode',
  'ChildReturned.where',
  'ChildReturned.withWhom',
  'ReturnInterviewCompleted.findings.whereabouts',
  'ReturnInterviewCompleted.findings.withWhom',
  'WarningNoticeRecommended.against',
);

/**
 * The people and places an event names, once per key: the Philomena profile, the last-seen place,
 * sightings, named associates and locations, the return, the return interview's findings and the
 * person a warning notice is against. Names that name nobody ("unknown", "home") are left out.
 * A mention stays made: a profile update that drops an associate does not unlink the children,
 * since the record is a history and the link was real when it was named.
 */
export function mentionsOf(event: EventFollowedBy<typeof MENTIONING>): Mention[] {
  const found: (Mention | null)[] = [];
  const add = (key: LinkKey | null, source: MentionSource, episodeId: string | null) => found.push(key && { ...key, source, episodeId });
  switch (event.type) {
    case 'ChildRegistered':
      addProfile(event.profile.philomenaProfile, add);
      break;
    case 'ChildProfileUpdated':
      addProfile(event.changes.philomenaProfile, add);
      break;
    case 'ChildReportedMissing':
      if (event.lastSeenPlace) add(placeKey(event.lastSeenPlace), 'report', event.episodeId);
      break;
    case 'SightingRecorded':
      add(placeKey(event.place), 'sighting', event.episodeId);
      break;
    case 'AssociateNamed':
      add(associateKey(event.name), 'associate', event.episodeId);
      break;
    case 'LocationNamed':
      add(placeKey(event.place, event.postcode), 'location', event.episodeId);
      break;
    case 'ChildReturned':
      add(placeKey(event.where), 'return', event.episodeId);
      if (event.withWhom) add(associateKey(event.withWhom), 'return', event.episodeId);
      break;
    case 'ReturnInterviewCompleted':
      add(placeKey(event.findings.whereabouts), 'return-interview', event.episodeId);
      if (event.findings.withWhom) add(associateKey(event.findings.withWhom), 'return-interview', event.episodeId);
      break;
    case 'WarningNoticeRecommended':
      add(associateKey(event.against), 'warning-notice', null);
      break;
    default:
      return assertNever(event);
  }
  const seen = new Set<string>();
  return found.filter((mention): mention is Mention => {
    if (!mention || seen.has(`${mention.kind}\n${mention.key}`)) return false;
    seen.add(`${mention.kind}\n${mention.key}`);
    return true;
  });
}

function addProfile(profile: PhilomenaProfile | undefined, add: (key: LinkKey | null, source: MentionSource, episodeId: null) => void) {
  for (const name of profile?.associates ?? []) add(associateKey(name), 'profile', null);
  for (const place of profile?.placesFrequented ?? []) add(placeKey(place), 'profile', null);
}
