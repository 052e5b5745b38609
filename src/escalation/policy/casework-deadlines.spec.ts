import { meetingActionDeadline, returnInterviewDeadline, warningNoticeDeadline } from './casework-deadlines';
import { POLICY } from './escalation-policy.fixtures';

describe('the casework clocks', () => {
  it('gives the return interview 72 hours from the return', () => {
    expect(returnInterviewDeadline(POLICY, '2026-11-25T09:00:00.000Z')).toBe('2026-11-28T09:00:00.000Z');
  });

  it('follows the configured hours', () => {
    const policy = { ...POLICY, returnInterviewOverdue: { ...POLICY.returnInterviewOverdue, hours: 48 } };
    expect(returnInterviewDeadline(policy, '2026-11-25T09:00:00.000Z')).toBe('2026-11-27T09:00:00.000Z');
  });

  it('lets a meeting action be done until its due date ends in the UK', () => {
    expect(meetingActionDeadline('2026-12-01')).toBe('2026-12-02T00:00:00.000Z');
    expect(meetingActionDeadline('2026-07-01')).toBe('2026-07-01T23:00:00.000Z');
  });

  it('gives a warning notice 7 days from the recommendation', () => {
    expect(warningNoticeDeadline(POLICY, '2026-11-25T09:00:00.000Z')).toBe('2026-12-02T09:00:00.000Z');
  });

  it('refuses a time that is not one: a NaN deadline would never fire', () => {
    expect(() => returnInterviewDeadline(POLICY, 'yesterday')).toThrow('returnedAt is not an ISO-8601 time: "yesterday"');
  });
});
