import type { ChildStreamEvent } from '../child-stream/child-stream';

export interface NoticeState {
  readonly noticeId: string;
  readonly recommendedAt: string;
  readonly servedAt: string | null;
}

/** A child's warning notices by id. */
export interface WarningNotices {
  readonly byId: Readonly<Record<string, NoticeState>>;
}

export const initialWarningNotices = (): WarningNotices => ({ byId: {} });

/** Own keys only, so an id such as 'constructor' is not found on Object.prototype. */
export const findNotice = (state: WarningNotices, noticeId: string): NoticeState | undefined =>
  Object.hasOwn(state.byId, noticeId) ? state.byId[noticeId] : undefined;

export function evolveWarningNotices(state: WarningNotices, event: ChildStreamEvent): WarningNotices {
  switch (event.type) {
    case 'WarningNoticeRecommended':
      return { byId: { ...state.byId, [event.noticeId]: { noticeId: event.noticeId, recommendedAt: event.recommendedAt, servedAt: null } } };
    case 'WarningNoticeServed': {
      const notice = findNotice(state, event.noticeId);
      return notice ? { byId: { ...state.byId, [event.noticeId]: { ...notice, servedAt: event.servedAt } } } : state;
    }
    default:
      return state;
  }
}
