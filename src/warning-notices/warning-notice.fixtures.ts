/** Test support for the warning notice specs: recommended at 07:00 on 25 November 2026, now 10:00. */
import { CHILD_ID, NOW } from '../child-case/child-case.fixtures';
import type { RecommendWarningNotice, ServeWarningNotice } from './warning-notice.commands';
import type { WarningNoticeRecommended, WarningNoticeServed } from './warning-notice.events';

export const NOTICE_ID = 'notice-1';
export const RECOMMENDED_AT = '2026-11-25T07:00:00.000Z';
export const SERVED_AT = '2026-11-25T09:30:00.000Z';

export const noticeRecommended = (o: Partial<WarningNoticeRecommended> = {}): WarningNoticeRecommended => ({
  type: 'WarningNoticeRecommended',
  noticeId: NOTICE_ID,
  childId: CHILD_ID,
  against: 'Darren Noone',
  recommendedBy: 'officer-7',
  recommendedAt: RECOMMENDED_AT,
  ...o,
});

export const noticeServed = (o: Partial<WarningNoticeServed> = {}): WarningNoticeServed => ({
  type: 'WarningNoticeServed',
  noticeId: NOTICE_ID,
  servedBy: 'PC 123 Shaw',
  servedAt: SERVED_AT,
  ...o,
});

export const recommendNotice = (o: Partial<RecommendWarningNotice> = {}): RecommendWarningNotice => {
  const { type: _type, ...recommendation } = noticeRecommended();
  return { type: 'RecommendWarningNotice', ...recommendation, now: NOW, ...o };
};

export const serveNotice = (o: Partial<ServeWarningNotice> = {}): ServeWarningNotice => {
  const { type: _type, ...service } = noticeServed();
  return { type: 'ServeWarningNotice', ...service, now: NOW, ...o };
};
