import { evolveChildStream, initialChildStream, type ChildStreamEvent } from '../child-stream/child-stream';
import { loadEscalationPolicy } from '../escalation/policy/load-escalation-policy';
import type { ChildHistory } from './child-history';
import { PRESETS } from './presets';
import { BENCHMARK_END, childrenIn, type HistoryPlan, syntheticHistory } from './synthetic-history';

const policy = loadEscalationPolicy('config/escalation-policy.json');
const small: HistoryPlan = { preset: { ...PRESETS['force-year'], childrenPerDistrictYear: 150 }, seed: 7, endMs: BENCHMARK_END };
const histories = (plan: HistoryPlan): ChildHistory[] => [...syntheticHistory(plan, policy)];

describe('the synthetic history', () => {
  const children = histories(small);
  const events = children.flatMap((child) => child.events);
  const ofType = (type: string) => events.filter((event) => event.type === type);

  it('is the same for the same seed, and another for another seed', () => {
    expect(histories(small)).toEqual(children);
    const other = histories({ ...small, seed: 8 });
    expect(other.map((child) => child.events.length)).not.toEqual(children.map((child) => child.events.length));
  });

  it('makes the preset number of children, each a stream the deciders accepted in full', () => {
    expect(children).toHaveLength(childrenIn(small));
    for (const child of children) {
      expect(child.refused).toEqual([]);
      expect(child.events[0].type).toBe('ChildRegistered');
      // Folding the stream back is what every command on it does first.
      const state = child.events.map(({ type, data }) => ({ type, ...(data as object) }) as ChildStreamEvent).reduce(evolveChildStream, initialChildStream());
      expect(state.childCase.registered).toBe(true);
    }
  });

  it('is skewed: most children go missing once, a few dozens of times', () => {
    const episodes = children.map((child) => child.events.filter((event) => event.type === 'ChildReportedMissing').length);
    const once = episodes.filter((count) => count === 1).length;
    expect(once / children.length).toBeGreaterThan(0.45);
    expect(Math.max(...episodes)).toBeGreaterThanOrEqual(15);
  });

  it('holds the whole casework and what the policy makes of it', () => {
    for (const type of ['RiskAssessed', 'ChildReturned', 'SafeAndWellCheckRecorded', 'ReturnInterviewCompleted', 'ReturnInterviewDeclined', 'EpisodeClosed', 'EpisodeCancelled']) {
      expect({ type, count: ofType(type).length }).toEqual({ type, count: expect.any(Number) });
      expect(ofType(type).length).toBeGreaterThan(0);
    }
    for (const type of ['StrategyMeetingConvened', 'EscalationRaised', 'EscalationAcknowledged', 'StrategyMeetingHeld', 'MeetingActionCompleted', 'StrategyMeetingClosed', 'SafeguardingPlanCreated', 'EpisodeAddedToMeetingAgenda']) {
      expect(ofType(type).length).toBeGreaterThan(0);
    }
    const rules = new Set(ofType('EscalationRaised').map((event) => (event.data as { rule: string }).rule));
    expect([...rules].sort()).toEqual(expect.arrayContaining(['high-risk', 'lifetime', 'repeat-in-window']));
  });

  it('dates what happened from the history, and nothing after its end', () => {
    const reports = ofType('ChildReportedMissing').map((event) => Date.parse((event.data as { missingSince: string }).missingSince));
    expect(Math.max(...reports)).toBeLessThan(BENCHMARK_END);
    expect(Math.min(...reports)).toBeGreaterThan(BENCHMARK_END - 2 * 365.25 * 86_400_000);
  });
});
