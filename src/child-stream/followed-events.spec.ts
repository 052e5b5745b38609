import type { RecordedEvent } from '../event-store/event-store.port';
import { FollowedEvents } from './followed-events';

const recorded = (type: string, data: Record<string, unknown>, stream = 'child-c1') => ({ id: `${type}-${String(data.rule)}`, type, data, stream }) as unknown as RecordedEvent;

describe('FollowedEvents narrowed by a field of an event’s data', () => {
  const followed = FollowedEvents.of('ChildReturned', 'EscalationRaised').onlyWhere('EscalationRaised', 'rule', ['return-interview-overdue']);

  it('asks a rebuild’s store for the narrowed type only where the field holds a wanted value', () => {
    expect(followed.reads).toEqual({
      types: ['ChildReturned', 'EscalationRaised'],
      personalDataOf: ['ChildReturned', 'EscalationRaised'],
      where: { EscalationRaised: { field: 'rule', values: ['return-interview-overdue'] } },
    });
    expect(FollowedEvents.of('ChildReturned').reads).not.toHaveProperty('where');
  });

  it('drops the narrowed type’s other events from a batch, whatever store sent them, and keeps the other types', () => {
    const batch = [
      recorded('EscalationRaised', { rule: 'unacknowledged' }),
      recorded('ChildReturned', { episodeId: 'e1' }),
      recorded('EscalationRaised', { rule: 'return-interview-overdue' }),
      recorded('EscalationRaised', {}),
      recorded('ChildReportedMissing', { rule: 'return-interview-overdue' }),
    ];
    expect(followed.in(batch).map(({ recorded: { id } }) => id)).toEqual(['ChildReturned-undefined', 'EscalationRaised-return-interview-overdue']);
    expect(followed.follows({ type: 'EscalationRaised', rule: 'high-risk' } as never)).toBe(false);
    expect(followed.follows({ type: 'EscalationRaised', rule: 'return-interview-overdue' } as never)).toBe(true);
  });

  it('refuses to narrow by a personal field, which the store holds sealed', () => {
    expect(() => FollowedEvents.of('ChildReturned').onlyWhere('ChildReturned', 'where', ['home'])).toThrow(/ChildReturned.where is personal/);
  });

  it('keeps the narrowing when the personal data read is named after it', () => {
    const named = FollowedEvents.of('ChildReturned', 'EscalationRaised')
      .onlyWhere('EscalationRaised', 'rule', ['high-risk'])
      .readingPersonalDataOf('ChildReturned');
    expect(named.reads).toEqual({
      types: ['ChildReturned', 'EscalationRaised'],
      personalDataOf: ['ChildReturned'],
      where: { EscalationRaised: { field: 'rule', values: ['high-risk'] } },
    });
  });
});
