import { typesOf } from '../child-stream/child-stream-slice';

/**
 * Child abduction warning notices (CAWN), on the child's stream. The inspection found one
 * recommended and still not served a month later: the recommendation starts a 7-day clock.
 */

export interface WarningNoticeRecommended {
  type: 'WarningNoticeRecommended';
  noticeId: string;
  childId: string;
  /** The adult the notice is to be served on. */
  against: string;
  reason?: string;
  recommendedBy: string;
  recommendedAt: string;
}

export interface WarningNoticeServed {
  type: 'WarningNoticeServed';
  noticeId: string;
  servedBy: string;
  servedAt: string;
  note?: string;
}

export type WarningNoticeEvent = WarningNoticeRecommended | WarningNoticeServed;

export const WARNING_NOTICE_EVENT_TYPES = typesOf<WarningNoticeEvent['type']>({
  WarningNoticeRecommended: true,
  WarningNoticeServed: true,
});
