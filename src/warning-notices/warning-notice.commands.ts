import { typesOf } from '../child-stream/child-stream-slice';

/** What officers ask of a warning notice; `now` is the time it is decided at. */

export interface RecommendWarningNotice {
  type: 'RecommendWarningNotice';
  noticeId: string;
  childId: string;
  against: string;
  reason?: string;
  recommendedBy: string;
  /** When it was recommended: may be earlier than it is recorded, never later than now. */
  recommendedAt: string;
  now: string;
}

export interface ServeWarningNotice {
  type: 'ServeWarningNotice';
  noticeId: string;
  servedBy: string;
  servedAt: string;
  note?: string;
  now: string;
}

export type WarningNoticeCommand = RecommendWarningNotice | ServeWarningNotice;

export const WARNING_NOTICE_COMMAND_TYPES = typesOf<WarningNoticeCommand['type']>({
  RecommendWarningNotice: true,
  ServeWarningNotice: true,
});
