import type { ChildCaseCommand } from '../child-case/child-case.commands';
import type { ChildCaseEvent } from '../child-case/child-case.events';
import { childCaseSlice } from '../child-case/child-case.slice';
import type { ChildCase } from '../child-case/child-case.state';
import type { EscalationCommand } from '../escalation/escalation.commands';
import type { EscalationEvent } from '../escalation/escalation.events';
import { escalationSlice } from '../escalation/escalation.slice';
import type { Safeguarding } from '../escalation/escalation.state';
import type { ReturnWorkCommand } from '../return-work/return-work.commands';
import type { ReturnWorkEvent } from '../return-work/return-work.events';
import { returnWorkSlice } from '../return-work/return-work.slice';
import type { ReturnWork } from '../return-work/return-work.state';
import type { SafeguardingPlanCommand } from '../safeguarding-plans/safeguarding-plan.commands';
import type { SafeguardingPlanEvent } from '../safeguarding-plans/safeguarding-plan.events';
import { safeguardingPlanSlice } from '../safeguarding-plans/safeguarding-plan.slice';
import type { SafeguardingPlans } from '../safeguarding-plans/safeguarding-plan.state';
import type { StrategyMeetingCommand } from '../strategy-meetings/strategy-meeting.commands';
import type { StrategyMeetingEvent } from '../strategy-meetings/strategy-meeting.events';
import { strategyMeetingSlice } from '../strategy-meetings/strategy-meeting.slice';
import type { StrategyMeetings } from '../strategy-meetings/strategy-meeting.state';
import type { WarningNoticeCommand } from '../warning-notices/warning-notice.commands';
import type { WarningNoticeEvent } from '../warning-notices/warning-notice.events';
import { warningNoticeSlice } from '../warning-notices/warning-notice.slice';
import type { WarningNotices } from '../warning-notices/warning-notice.state';
import type { LinksCommand } from '../links/links.commands';
import type { LinksEvent } from '../links/links.events';
import { linksSlice } from '../links/links.slice';
import type { ChildLinks } from '../links/links.state';
import { refuse } from '../shared/refusal';
import type { ChildStreamSlice, DirectoryEntry } from './child-stream-slice';

/**
 * A child's stream holds every fact about the child: the case (record and episodes), what the
 * machine did about it (meetings, escalations) and the casework (return work, plans, meetings'
 * records, warning notices). One state folded from all of them, so each decision sees everything
 * it needs and one append keeps it consistent. Each family is a slice in its own folder.
 */
export type ChildStreamEvent =
  | ChildCaseEvent
  | EscalationEvent
  | ReturnWorkEvent
  | SafeguardingPlanEvent
  | StrategyMeetingEvent
  | WarningNoticeEvent
  | LinksEvent;

export type ChildStreamCommand =
  | ChildCaseCommand
  | EscalationCommand
  | ReturnWorkCommand
  | SafeguardingPlanCommand
  | StrategyMeetingCommand
  | WarningNoticeCommand
  | LinksCommand;

export interface ChildStream {
  readonly childCase: ChildCase;
  readonly safeguarding: Safeguarding;
  readonly returnWork: ReturnWork;
  readonly plans: SafeguardingPlans;
  readonly meetings: StrategyMeetings;
  readonly notices: WarningNotices;
  readonly links: ChildLinks;
}

type Part = keyof ChildStream;
// `any` for the command type: each slice is only ever handed the commands it lists (see decideChildStream).
type AnySlice = ChildStreamSlice<unknown, any>;

/** Each part of the state and the slice that keeps it: a new slice plugs in here. */
export const CHILD_STREAM_SLICES: { readonly [P in Part]: ChildStreamSlice<ChildStream[P], any> } = {
  childCase: childCaseSlice,
  safeguarding: escalationSlice,
  returnWork: returnWorkSlice,
  plans: safeguardingPlanSlice,
  meetings: strategyMeetingSlice,
  notices: warningNoticeSlice,
  links: linksSlice,
};

const PARTS = Object.keys(CHILD_STREAM_SLICES) as Part[];
const sliceOf = (part: Part): AnySlice => CHILD_STREAM_SLICES[part] as AnySlice;
const SLICE_BY_COMMAND = new Map<string, AnySlice>(
  PARTS.flatMap((part) => sliceOf(part).commandTypes.map((type) => [type, sliceOf(part)] as const)),
);

export const initialChildStream = (): ChildStream =>
  Object.fromEntries(PARTS.map((part) => [part, sliceOf(part).initial()])) as unknown as ChildStream;

/**
 * Every slice sees every event: a slice may follow another's facts (a plan open, a child returned).
 * Parts an event leaves alone keep their identity, and the whole state too if none changed: every
 * command folds the child's whole history, so the fold stays cheap.
 */
export function evolveChildStream(state: ChildStream, event: ChildStreamEvent): ChildStream {
  let next: Record<Part, unknown> | null = null;
  for (const part of PARTS) {
    const evolved = sliceOf(part).evolve(state[part], event);
    if (evolved !== state[part]) (next ??= { ...state })[part] = evolved;
  }
  return (next as ChildStream | null) ?? state;
}

/**
 * Once a child's personal data is erased, people add nothing to the stream (any command could
 * carry personal data); the machine's escalations carry none and go on, and a second erasure is
 * refused by the child case itself.
 */
const ALLOWED_AFTER_ERASURE: ReadonlySet<string> = new Set([...escalationSlice.commandTypes, 'EraseChildPersonalData']);

export function decideChildStream(command: ChildStreamCommand, state: ChildStream): ChildStreamEvent[] {
  const slice = SLICE_BY_COMMAND.get(command.type);
  if (!slice) throw new Error(`no slice of the child's stream decides ${command.type}`);
  if (state.childCase.erased && !ALLOWED_AFTER_ERASURE.has(command.type)) {
    throw refuse(`the personal data of child ${state.childCase.childId} was erased: nothing more is recorded about the child`);
  }
  return slice.decide(command, state);
}

/** Several commands decided in order on the evolving state, stored in one append (register and report). */
export function decideInOrder(commands: ChildStreamCommand[], state: ChildStream): ChildStreamEvent[] {
  const events: ChildStreamEvent[] = [];
  for (const command of commands) {
    const decided = decideChildStream(command, state);
    events.push(...decided);
    state = decided.reduce(evolveChildStream, state);
  }
  return events;
}

const ADDRESSES = new Map(
  PARTS.flatMap((part) => Object.entries(sliceOf(part).addresses ?? {}) as [ChildStreamEvent['type'], (event: ChildStreamEvent) => DirectoryEntry][]),
);

/** The event types that create something commands address by its own id: what the stream directory follows. */
export const DIRECTORY_EVENT_TYPES: readonly ChildStreamEvent['type'][] = Object.freeze([...ADDRESSES.keys()]);

/** The objects an event creates that commands address by their own id (GET/POST /api/<kind>s/:id). */
export const directoryEntriesOf = (event: ChildStreamEvent): DirectoryEntry[] => {
  const address = ADDRESSES.get(event.type);
  return address ? [address(event)] : [];
};
