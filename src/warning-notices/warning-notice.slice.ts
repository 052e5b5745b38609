import type { ChildStreamSlice } from '../child-stream/child-stream-slice';
import { WARNING_NOTICE_COMMAND_TYPES, type WarningNoticeCommand } from './warning-notice.commands';
import { decideWarningNotice } from './warning-notice.decider';
import { WARNING_NOTICE_EVENT_TYPES } from './warning-notice.events';
import { evolveWarningNotices, initialWarningNotices, type WarningNotices } from './warning-notice.state';

/** Child abduction warning notices, in the child's stream; addressed as /api/warning-notices/:id. */
export const warningNoticeSlice: ChildStreamSlice<WarningNotices, WarningNoticeCommand> = {
  eventTypes: WARNING_NOTICE_EVENT_TYPES,
  commandTypes: WARNING_NOTICE_COMMAND_TYPES,
  initial: initialWarningNotices,
  evolve: evolveWarningNotices,
  decide: decideWarningNotice,
  addresses: { WarningNoticeRecommended: (event) => ({ kind: 'notice', id: event.noticeId }) },
};
