/**
 * An action agreed in a safeguarding plan or a strategy meeting has the same row in both read
 * models (besides the id of the plan or meeting it belongs to): who does what by when, and its
 * completion.
 */
export interface AgreedActionColumns {
  action_id: string;
  what: string;
  owner: string;
  agency: string;
  due_date: string;
  completed_at: string | Date | null;
  completed_by: string | null;
  note: string | null;
}

export const agreedActionRow = (event: { actionId: string; what: string; owner: string; agency: string; dueDate: string }): AgreedActionColumns => ({
  action_id: event.actionId,
  what: event.what,
  owner: event.owner,
  agency: event.agency,
  due_date: event.dueDate,
  completed_at: null,
  completed_by: null,
  note: null,
});

export const actionCompletion = (event: { completedAt: string; completedBy: string; note?: string }) => ({
  completed_at: event.completedAt,
  completed_by: event.completedBy,
  note: event.note ?? null,
});
