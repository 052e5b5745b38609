import { typesOf } from '../child-stream/child-stream-slice';
import type { DeclinedBy, ReturnInterviewFindings } from './return-work.events';

/** What people ask after a return; each names the episode, and `now` is the time it is decided at. */

export interface RecordSafeAndWellCheck {
  type: 'RecordSafeAndWellCheck';
  episodeId: string;
  checkedBy: string;
  checkedAt: string;
  childAccount: string;
  harmObserved: boolean;
  harmDetails?: string;
  now: string;
}

export interface OfferReturnInterview {
  type: 'OfferReturnInterview';
  episodeId: string;
  offeredAt: string;
  offeredBy: string;
  note?: string;
  now: string;
}

export interface CompleteReturnInterview {
  type: 'CompleteReturnInterview';
  episodeId: string;
  completedAt: string;
  interviewer: string;
  findings: ReturnInterviewFindings;
  now: string;
}

export interface DeclineReturnInterview {
  type: 'DeclineReturnInterview';
  episodeId: string;
  declinedAt: string;
  declinedBy: DeclinedBy;
  reason: string;
  now: string;
}

export type ReturnWorkCommand = RecordSafeAndWellCheck | OfferReturnInterview | CompleteReturnInterview | DeclineReturnInterview;

export const RETURN_WORK_COMMAND_TYPES = typesOf<ReturnWorkCommand['type']>({
  RecordSafeAndWellCheck: true,
  OfferReturnInterview: true,
  CompleteReturnInterview: true,
  DeclineReturnInterview: true,
});
