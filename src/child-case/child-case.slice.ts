import { typesOf, type ChildStreamSlice } from '../child-stream/child-stream-slice';
import type { ChildCaseCommand } from './child-case.commands';
import { decide } from './child-case.decider';
import { CHILD_CASE_EVENT_TYPES, type ChildCaseEvent, isChildCaseEventType } from './child-case.events';
import { type ChildCase, evolve, initialChildCase } from './child-case.state';

/** The child's record and episodes: the first slice of the child's stream, decided on its own state. */
export const childCaseSlice: ChildStreamSlice<ChildCase, ChildCaseCommand> = {
  eventTypes: CHILD_CASE_EVENT_TYPES,
  commandTypes: typesOf<ChildCaseCommand['type']>({
    RegisterChild: true,
    UpdateChildProfile: true,
    ReportChildMissing: true,
    AssessRisk: true,
    RecordSighting: true,
    NameAssociate: true,
    NameLocation: true,
    RecordReturn: true,
    CancelEpisode: true,
    CloseEpisode: true,
    EraseChildPersonalData: true,
  }),
  initial: initialChildCase,
  evolve: (state, event) => (isChildCaseEventType(event.type) ? evolve(state, event as ChildCaseEvent) : state),
  decide: (command, stream) => decide(command, stream.childCase),
  addresses: { ChildReportedMissing: (event) => ({ kind: 'episode', id: event.episodeId }) },
};
