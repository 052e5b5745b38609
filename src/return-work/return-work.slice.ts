import type { ChildStreamSlice } from '../child-stream/child-stream-slice';
import { RETURN_WORK_COMMAND_TYPES, type ReturnWorkCommand } from './return-work.commands';
import { decideReturnWork } from './return-work.decider';
import { RETURN_WORK_EVENT_TYPES } from './return-work.events';
import { evolveReturnWork, initialReturnWork, type ReturnWork } from './return-work.state';

/** The safe-and-well check and the return home interview, in the child's stream. */
export const returnWorkSlice: ChildStreamSlice<ReturnWork, ReturnWorkCommand> = {
  eventTypes: RETURN_WORK_EVENT_TYPES,
  commandTypes: RETURN_WORK_COMMAND_TYPES,
  initial: initialReturnWork,
  evolve: evolveReturnWork,
  decide: decideReturnWork,
};
