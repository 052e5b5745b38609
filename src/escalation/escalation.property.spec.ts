import * as fc from 'fast-check';
import { EPISODE_ID, NOW, registered, reported } from '../child-case/child-case.fixtures';
import { type ChildStream, type ChildStreamCommand, decideChildStream, evolveChildStream, initialChildStream } from '../child-stream/child-stream';
import { Refusal } from '../shared/refusal';
import type { EscalationRaised } from './escalation.events';

interface Step {
  kind: 'raise' | 'notify' | 'acknowledge' | 'climb';
  escalation: number;
  email: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Step['kind'][]>('raise', 'notify', 'acknowledge', 'climb'),
  escalation: fc.integer({ min: 0, max: 3 }),
  email: fc.integer({ min: 0, max: 2 }),
});

const id = (n: number) => `escalation-${n}`;

function commandFor(s: Step): ChildStreamCommand {
  switch (s.kind) {
    case 'raise':
      return {
        type: 'RaiseOverdueEscalation',
        work: { rule: 'long-missing', episodeId: EPISODE_ID },
        tier: 1,
        notify: ['senior-officer'],
        escalationId: id(s.escalation),
        figures: {},
        cause: `cause-${s.escalation}`,
        now: NOW,
      };
    case 'notify':
      return {
        type: 'RecordEscalationNotified',
        escalationId: id(s.escalation),
        recipient: { role: 'senior-officer', email: `insp-${s.email}@force.example` },
        messageId: `<m-${s.escalation}-${s.email}@x>`,
        deliveredAt: NOW,
      };
    case 'acknowledge':
      return { type: 'AcknowledgeEscalation', escalationId: id(s.escalation), acknowledgedBy: 'insp-1', role: 'senior-officer', now: NOW };
    default:
      return { type: 'EscalateUnacknowledged', escalationId: id(s.escalation), newEscalationId: `${id(s.escalation)}-up`, tier: 2, now: NOW };
  }
}

/** Random deliveries, acknowledgements and climbs, in any order and any number of times. */
describe('escalation invariants over random command sequences', () => {
  it('acknowledges once, records each recipient once, and never climbs past an acknowledgement', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state: ChildStream = [registered(), reported()].reduce(evolveChildStream, initialChildStream());
        const raisedIds: string[] = [];
        const acknowledged = new Set<string>();
        for (const s of steps) {
          const command = commandFor(s);
          let events;
          try {
            events = decideChildStream(command, state);
          } catch (error) {
            if (!(error instanceof Refusal)) throw error;
            continue;
          }
          for (const event of events) {
            if (event.type === 'EscalationAcknowledged') {
              expect(acknowledged.has(event.escalationId)).toBe(false);
              acknowledged.add(event.escalationId);
            }
            if (event.type === 'EscalationRaised') {
              const raised = event as EscalationRaised;
              if (raised.escalates) expect(acknowledged.has(raised.escalates)).toBe(false);
              raisedIds.push(raised.escalationId);
            }
          }
          state = events.reduce(evolveChildStream, state);
        }
        for (const escalation of Object.values(state.safeguarding.escalations)) {
          expect(new Set(escalation.notified).size).toBe(escalation.notified.length);
        }
        // Raising the same escalation again (a redelivered deadline) is no new escalation in the state.
        expect(Object.keys(state.safeguarding.escalations).length).toBe(new Set(raisedIds).size);
      }),
      { numRuns: 500 },
    );
  });
});
