import { findEpisode } from '../child-case/child-case.state';
import type { ChildStream } from '../child-stream/child-stream';
import { interviewSettled, returnWorkOf } from '../return-work/return-work.state';
import { assertNever } from '../shared/refusal';
import { findMeeting, findMeetingAction } from '../strategy-meetings/strategy-meeting.state';
import { findNotice } from '../warning-notices/warning-notice.state';
import type { OverdueWork } from './escalation.commands';

/**
 * A deadline re-checks the case when it fires, rule by rule: work done in time (a review, a return,
 * an interview, a completed action, a served notice) raises nothing. Pure: it reads only the stream.
 */
export function stillOverdue(work: OverdueWork, stream: ChildStream): boolean {
  switch (work.rule) {
    case 'review-overdue': {
      if (findEpisode(stream.childCase, work.episodeId)?.status !== 'missing') return false;
      // A review since the clock was set restarted it: that later clock will judge.
      return (stream.safeguarding.lastReviewAt[work.episodeId] ?? null) === work.reviewAnchor;
    }
    case 'long-missing':
      return findEpisode(stream.childCase, work.episodeId)?.status === 'missing';
    case 'return-interview-overdue': {
      const episode = findEpisode(stream.childCase, work.episodeId);
      // A cancelled episode (reported in error) owes no interview; a closed one still does.
      if (!episode || episode.status === 'cancelled' || episode.returnedAt === null) return false;
      return !interviewSettled(returnWorkOf(stream.returnWork, work.episodeId));
    }
    case 'meeting-action-overdue': {
      const meeting = findMeeting(stream.meetings, work.meetingId);
      const action = meeting ? findMeetingAction(meeting, work.actionId) : undefined;
      return action !== undefined && !action.completed;
    }
    case 'cawn-not-served': {
      const notice = findNotice(stream.notices, work.noticeId);
      return notice !== undefined && notice.servedAt === null;
    }
    default:
      return assertNever(work);
  }
}

/** The episode an overdue escalation is about, when the work belongs to one. */
export const episodeOfWork = (work: OverdueWork): string | null => ('episodeId' in work ? work.episodeId : null);
