/** Test support for the return-work specs: the morning of the child-case fixtures, back at 09:00, now 10:00. */
import { EPISODE_ID, NOW } from '../child-case/child-case.fixtures';
import type {
  CompleteReturnInterview,
  DeclineReturnInterview,
  OfferReturnInterview,
  RecordSafeAndWellCheck,
} from './return-work.commands';
import type {
  ReturnInterviewCompleted,
  ReturnInterviewDeclined,
  ReturnInterviewFindings,
  ReturnInterviewOffered,
  SafeAndWellCheckRecorded,
} from './return-work.events';

export const CHECKED_AT = '2026-11-25T09:30:00.000Z';
export const OFFERED_AT = '2026-11-25T09:15:00.000Z';
export const SEEN_AT = '2026-11-25T09:45:00.000Z';

export const FINDINGS: ReturnInterviewFindings = {
  whereabouts: 'a flat above the takeaway on London Road',
  withWhom: 'two older males she met online',
  pushFactors: ['arguments with foster carer'],
  pullFactors: ['gifts and alcohol'],
  disclosures: 'was given a phone',
};

// Events

export const safeAndWellChecked = (o: Partial<SafeAndWellCheckRecorded> = {}): SafeAndWellCheckRecorded => ({
  type: 'SafeAndWellCheckRecorded',
  episodeId: EPISODE_ID,
  checkedBy: 'PC 123 Shaw',
  checkedAt: CHECKED_AT,
  childAccount: 'stayed at a friend’s, will not say which',
  harmObserved: false,
  ...o,
});

export const interviewOffered = (o: Partial<ReturnInterviewOffered> = {}): ReturnInterviewOffered => ({
  type: 'ReturnInterviewOffered',
  episodeId: EPISODE_ID,
  offeredAt: OFFERED_AT,
  offeredBy: 'Safe Space independent return service',
  ...o,
});

export const interviewCompleted = (o: Partial<ReturnInterviewCompleted> = {}): ReturnInterviewCompleted => ({
  type: 'ReturnInterviewCompleted',
  episodeId: EPISODE_ID,
  completedAt: SEEN_AT,
  interviewer: 'J. Patel, Safe Space',
  findings: FINDINGS,
  ...o,
});

export const interviewDeclined = (o: Partial<ReturnInterviewDeclined> = {}): ReturnInterviewDeclined => ({
  type: 'ReturnInterviewDeclined',
  episodeId: EPISODE_ID,
  declinedAt: SEEN_AT,
  declinedBy: 'child',
  reason: 'does not want to talk to anyone',
  ...o,
});

// Commands

export const recordSafeAndWellCheck = (o: Partial<RecordSafeAndWellCheck> = {}): RecordSafeAndWellCheck => {
  const { type: _type, ...check } = safeAndWellChecked();
  return { type: 'RecordSafeAndWellCheck', ...check, now: NOW, ...o };
};

export const offerInterview = (o: Partial<OfferReturnInterview> = {}): OfferReturnInterview => {
  const { type: _type, ...offer } = interviewOffered();
  return { type: 'OfferReturnInterview', ...offer, now: NOW, ...o };
};

export const completeInterview = (o: Partial<CompleteReturnInterview> = {}): CompleteReturnInterview => {
  const { type: _type, ...interview } = interviewCompleted();
  return { type: 'CompleteReturnInterview', ...interview, now: NOW, ...o };
};

export const declineInterview = (o: Partial<DeclineReturnInterview> = {}): DeclineReturnInterview => {
  const { type: _type, ...decline } = interviewDeclined();
  return { type: 'DeclineReturnInterview', ...decline, now: NOW, ...o };
};
