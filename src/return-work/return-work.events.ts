import { typesOf } from '../child-stream/child-stream-slice';

/**
 * The casework after a child's return, on the child's stream beside the episode: the police
 * safe-and-well check and the independent return home interview (RHI). Who typed each in is in
 * the event's metadata; the person who did the work is named in the event.
 */

export interface SafeAndWellCheckRecorded {
  type: 'SafeAndWellCheckRecorded';
  episodeId: string;
  /** The officer who saw the child. */
  checkedBy: string;
  checkedAt: string;
  /** What the child said about where they were and what happened. */
  childAccount: string;
  harmObserved: boolean;
  harmDetails?: string;
}

export interface ReturnInterviewOffered {
  type: 'ReturnInterviewOffered';
  episodeId: string;
  offeredAt: string;
  /** The worker or independent service that offered it. */
  offeredBy: string;
  note?: string;
}

/** What the interview found: where the child was, with whom, and why they went. */
export interface ReturnInterviewFindings {
  whereabouts: string;
  withWhom?: string;
  /** What pushed the child away from home or placement (conflict, neglect...). */
  pushFactors: string[];
  /** What pulled the child towards somewhere or someone (friends, adults, exploitation...). */
  pullFactors: string[];
  disclosures?: string;
}

export interface ReturnInterviewCompleted {
  type: 'ReturnInterviewCompleted';
  episodeId: string;
  completedAt: string;
  interviewer: string;
  findings: ReturnInterviewFindings;
}

export type DeclinedBy = 'child' | 'parent-or-carer';

export interface ReturnInterviewDeclined {
  type: 'ReturnInterviewDeclined';
  episodeId: string;
  declinedAt: string;
  declinedBy: DeclinedBy;
  reason: string;
}

export type ReturnWorkEvent =
  | SafeAndWellCheckRecorded
  | ReturnInterviewOffered
  | ReturnInterviewCompleted
  | ReturnInterviewDeclined;

export const RETURN_WORK_EVENT_TYPES = typesOf<ReturnWorkEvent['type']>({
  SafeAndWellCheckRecorded: true,
  ReturnInterviewOffered: true,
  ReturnInterviewCompleted: true,
  ReturnInterviewDeclined: true,
});
