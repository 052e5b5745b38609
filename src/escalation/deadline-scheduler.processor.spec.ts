import type { RecordedEvent } from '../event-store/event-store.port';
import type { Deadline, DeadlineQueue } from './deadline-queue';
import { DeadlineSchedulerProcessor } from './deadline-scheduler.processor';
import { POLICY } from './policy/escalation-policy.fixtures';

const NOW = new Date('2026-11-25T10:00:00.000Z');

/** The deadlines one stored event sets, caught by a queue that only records them. */
async function deadlinesSetBy(type: string, data: Record<string, unknown>): Promise<Deadline[]> {
  const scheduled: Deadline[] = [];
  const queue = { scheduleAll: async (deadlines: Deadline[]) => void scheduled.push(...deadlines) } as unknown as DeadlineQueue;
  const event = { id: 'event-1', type, data, stream: 'child-child-1', streamVersion: 3 } as unknown as RecordedEvent;
  await new DeadlineSchedulerProcessor(queue, POLICY, { now: () => NOW }).handle([event]);
  return scheduled;
}

describe('the deadline scheduler: the casework clocks', () => {
  it('sets the return interview clock when a return is seen, 72 hours on, for the coordinator and the LSCB lead', async () => {
    expect(await deadlinesSetBy('ChildReturned', { episodeId: 'episode-1', returnedAt: '2026-11-25T09:00:00.000Z', how: 'returned', where: 'home' })).toEqual([
      {
        kind: 'return-interview-overdue',
        childId: 'child-1',
        episodeId: 'episode-1',
        escalationId: null,
        step: 0,
        tier: 1,
        notify: ['coordinator', 'lscb-lead'],
        reviewAnchor: null,
        dueAt: '2026-11-28T09:00:00.000Z',
        cause: 'event-1',
        figures: { hours: 72, returnedAt: '2026-11-25T09:00:00.000Z' },
      },
    ]);
  });

  it('sets a meeting action clock at the end of its due date, with no free text in the figures', async () => {
    const agreed = { meetingId: 'meeting-1', actionId: 'action-1', what: 'visit the flat', owner: 'DS Hart', agency: 'police', dueDate: '2026-12-01' };
    const [deadline] = await deadlinesSetBy('MeetingActionAgreed', agreed);
    expect(deadline).toMatchObject({
      kind: 'meeting-action-overdue',
      meetingId: 'meeting-1',
      actionId: 'action-1',
      episodeId: null,
      notify: ['senior-officer'],
      dueAt: '2026-12-02T00:00:00.000Z',
      figures: { meetingId: 'meeting-1', actionId: 'action-1', agency: 'police', dueDate: '2026-12-01' },
    });
    expect(JSON.stringify(deadline)).not.toMatch(/visit the flat|DS Hart/);
  });

  it('sets a warning notice clock 7 days after the recommendation', async () => {
    const [deadline] = await deadlinesSetBy('WarningNoticeRecommended', { noticeId: 'notice-1', against: 'D. Noone', recommendedAt: '2026-11-20T09:00:00.000Z' });
    expect(deadline).toMatchObject({ kind: 'cawn-not-served', noticeId: 'notice-1', dueAt: '2026-11-27T09:00:00.000Z', figures: { days: 7 } });
    expect(JSON.stringify(deadline)).not.toMatch(/Noone/);
  });

  it('sets no clock for the casework that stops one', async () => {
    expect(await deadlinesSetBy('ReturnInterviewCompleted', { episodeId: 'episode-1' })).toEqual([]);
    expect(await deadlinesSetBy('MeetingActionCompleted', { meetingId: 'meeting-1', actionId: 'action-1' })).toEqual([]);
  });
});
