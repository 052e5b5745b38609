import * as fc from 'fast-check';
import { Refusal } from '../shared/refusal';
import type { ChildCaseCommand } from './child-case.commands';
import { decide } from './child-case.decider';
import type { ChildCaseEvent } from './child-case.events';
import { countEpisodes, episodesForCounting } from './episode-counts';
import { type ChildCase, evolve, initialChildCase } from './child-case.state';

const CHILD = 'child-p';
const START = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;

type Grade = 'high' | 'medium' | 'low' | 'no-apparent-risk';
interface Step {
  kind: 'report' | 'assess' | 'return' | 'cancel' | 'close' | 'sighting';
  episode: number;
  hoursLater: number;
  backdateHours: number;
  grade: Grade;
}

/** One step of a random history: a command of some kind, on some episode, at some time. */
const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Step['kind'][]>('report', 'assess', 'return', 'cancel', 'close', 'sighting'),
  episode: fc.integer({ min: 0, max: 5 }),
  hoursLater: fc.integer({ min: 0, max: 24 * 20 }),
  backdateHours: fc.integer({ min: 0, max: 24 * 40 }),
  grade: fc.constantFrom<Grade[]>('high', 'medium', 'low', 'no-apparent-risk'),
});

function commandFor(s: Step, now: number): ChildCaseCommand {
  const episodeId = `episode-${s.episode}`;
  const at = new Date(now).toISOString();
  switch (s.kind) {
    case 'report':
      return { type: 'ReportChildMissing', childId: CHILD, episodeId, missingSince: new Date(now - s.backdateHours * HOUR).toISOString(), district: 'Sheffield', now: at };
    case 'assess':
      return { type: 'AssessRisk', episodeId, grade: s.grade, rationale: 'seen by the officer', assessedBy: 'pc-1', now: at };
    case 'return':
      return { type: 'RecordReturn', episodeId, returnedAt: at, how: 'found', where: 'home', now: at };
    case 'cancel':
      return { type: 'CancelEpisode', episodeId, reason: 'reported-in-error', now: at };
    case 'close':
      return { type: 'CloseEpisode', episodeId, now: at };
    default:
      return { type: 'RecordSighting', episodeId, sightingId: `s-${now}`, seenAt: at, place: 'park', now: at };
  }
}

/** Runs a random history through the decider, keeping what it accepted; refusals change nothing. */
function run(steps: Step[]) {
  let state: ChildCase = evolve(initialChildCase(), { type: 'ChildRegistered', childId: CHILD, profile: { localAuthority: 'Sheffield' } });
  const history: { command: ChildCaseCommand; before: ChildCase; events: ChildCaseEvent[] | Refusal }[] = [];
  let now = START;
  for (const s of steps) {
    now += s.hoursLater * HOUR;
    const command = commandFor(s, now);
    const before = state;
    try {
      const events = decide(command, state);
      state = events.reduce(evolve, state);
      history.push({ command, before, events });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      history.push({ command, before, events: error });
    }
  }
  return { state, history, now };
}

describe('child case invariants over random histories', () => {
  const histories = fc.array(step, { minLength: 1, maxLength: 40 });

  it('never has more than one open episode, and the open one is the one marked open', () => {
    fc.assert(
      fc.property(histories, (steps) => {
        const { state } = run(steps);
        const missing = Object.values(state.episodes).filter((e) => e.status === 'missing');
        expect(missing.length).toBeLessThanOrEqual(1);
        expect(state.openEpisodeId).toBe(missing[0]?.episodeId ?? null);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps counts non-negative, nested, and equal to a recount of the episodes not cancelled', () => {
    fc.assert(
      fc.property(histories, (steps) => {
        const { state, now } = run(steps);
        const nowIso = new Date(now).toISOString();
        const counts = countEpisodes(episodesForCounting(state), nowIso);
        const ages = Object.values(state.episodes)
          .filter((e) => e.status !== 'cancelled')
          .map((e) => now - Date.parse(e.missingSince))
          .filter((age) => age >= 0);
        expect(counts.lifetime).toBe(ages.length);
        expect(counts.last30Days).toBe(ages.filter((age) => age < 30 * 24 * HOUR).length);
        expect(0).toBeLessThanOrEqual(counts.last30Days);
        expect(counts.last30Days).toBeLessThanOrEqual(counts.last90Days);
        expect(counts.last90Days).toBeLessThanOrEqual(counts.last365Days);
        expect(counts.last365Days).toBeLessThanOrEqual(counts.lifetime);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a return for an episode that is closed, cancelled or already returned', () => {
    fc.assert(
      fc.property(histories, (steps) => {
        for (const { command, before, events } of run(steps).history) {
          if (command.type !== 'RecordReturn') continue;
          const episode = before.episodes[command.episodeId];
          if (episode && episode.status !== 'missing') expect(events).toBeInstanceOf(Refusal);
          if (episode?.status === 'missing' && !(events instanceof Refusal)) expect(events.map((e) => e.type)).toEqual(['ChildReturned']);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a report while another episode is open', () => {
    fc.assert(
      fc.property(histories, (steps) => {
        for (const { command, before, events } of run(steps).history) {
          if (command.type === 'ReportChildMissing' && before.openEpisodeId) expect(events).toBeInstanceOf(Refusal);
        }
      }),
      { numRuns: 300 },
    );
  });
});
