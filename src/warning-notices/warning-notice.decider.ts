import { clock, defined, instant, requireText } from '../child-case/child-case.guards';
import type { ChildStream, ChildStreamEvent } from '../child-stream/child-stream';
import { assertNever, refuse, refuseInvalid, refuseNotFound } from '../shared/refusal';
import type { RecommendWarningNotice, ServeWarningNotice, WarningNoticeCommand } from './warning-notice.commands';
import type { WarningNoticeRecommended, WarningNoticeServed } from './warning-notice.events';
import { findNotice } from './warning-notice.state';

/** Decides a child abduction warning notice: recommended, then served. */
export function decideWarningNotice(command: WarningNoticeCommand, stream: ChildStream): ChildStreamEvent[] {
  switch (command.type) {
    case 'RecommendWarningNotice':
      return recommend(command, stream);
    case 'ServeWarningNotice':
      return serve(command, stream);
    default:
      return assertNever(command);
  }
}

function recommend(c: RecommendWarningNotice, stream: ChildStream): ChildStreamEvent[] {
  if (!stream.childCase.registered) throw refuseNotFound(`child ${c.childId} does not exist`);
  if (findNotice(stream.notices, c.noticeId)) throw refuse(`warning notice ${c.noticeId} already exists`);
  requireText(c.against, 'against');
  if (instant(c.recommendedAt, 'recommendedAt') > clock(c.now)) throw refuseInvalid('recommendedAt is in the future', 'recommendedAt');
  const { type: _type, now: _now, ...recommendation } = c;
  return [defined<WarningNoticeRecommended>({ type: 'WarningNoticeRecommended', ...recommendation })];
}

function serve(c: ServeWarningNotice, stream: ChildStream): ChildStreamEvent[] {
  const notice = findNotice(stream.notices, c.noticeId);
  if (!notice) throw refuseNotFound(`warning notice ${c.noticeId} does not exist`);
  if (notice.servedAt !== null) throw refuse(`warning notice ${c.noticeId} was already served (${notice.servedAt})`);
  const servedAt = instant(c.servedAt, 'servedAt');
  if (servedAt < Date.parse(notice.recommendedAt)) throw refuseInvalid('servedAt is before the notice was recommended', 'servedAt');
  if (servedAt > clock(c.now)) throw refuseInvalid('servedAt is in the future', 'servedAt');
  requireText(c.servedBy, 'servedBy');
  const { type: _type, now: _now, ...service } = c;
  return [defined<WarningNoticeServed>({ type: 'WarningNoticeServed', ...service })];
}
