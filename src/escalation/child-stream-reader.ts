import { childStream } from '../child-case/child-case.events';
import { countEpisodes, episodesForCounting } from '../child-case/episode-counts';
import { type ChildStream, type ChildStreamEvent, evolveChildStream, initialChildStream } from '../child-stream/child-stream';
import { ERASED } from '../erasure/field-encryption';
import { toDomainEvent } from '../event-store/command-handling';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';

/** A child's stream folded, whole and as it stood at one of its events. */
export interface ChildStreamView {
  current: ChildStream;
  at(streamVersion: number): ChildStream;
}

export async function readChildStream(store: EventStore, childId: string): Promise<ChildStreamView> {
  return childStreamView(await store.readStream(childStream(childId)));
}

/** The view of a stream already read (the re-enqueue sweep reads each child's once). */
export function childStreamView(history: RecordedEvent[]): ChildStreamView {
  const fold = (events: RecordedEvent[]) => events.map(toDomainEvent<ChildStreamEvent>).reduce(evolveChildStream, initialChildStream());
  return {
    current: fold(history),
    at: (streamVersion) => fold(history.filter((event) => event.streamVersion <= streamVersion)),
  };
}

/** What an e-mail may say about a child: a reference, initials, age and the counts; never a name. */
export function childSummaryForNotice(state: ChildStream, childId: string, now: Date) {
  const profile = state.childCase.profile;
  // After an erasure the name and date of birth read "[erased]": no initials or age to give.
  const known = (value: string | undefined) => (value === ERASED ? undefined : value);
  const initials = [profile?.firstName, profile?.lastName].map((name) => known(name)?.trim()?.[0]?.toUpperCase() ?? '').join('') || '?';
  const dateOfBirth = known(profile?.dateOfBirth);
  return {
    caseReference: caseReference(childId),
    childInitials: initials,
    childAgeYears: dateOfBirth ? ageInYears(dateOfBirth, now) : null,
    counts: countEpisodes(episodesForCounting(state.childCase), now.toISOString()),
  };
}

export const caseReference = (childId: string): string => `MFH-${childId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;

function ageInYears(dateOfBirth: string, now: Date): number {
  const born = new Date(`${dateOfBirth}T00:00:00Z`);
  let age = now.getUTCFullYear() - born.getUTCFullYear();
  const birthdayPassed =
    now.getUTCMonth() > born.getUTCMonth() || (now.getUTCMonth() === born.getUTCMonth() && now.getUTCDate() >= born.getUTCDate());
  if (!birthdayPassed) age--;
  return age;
}
