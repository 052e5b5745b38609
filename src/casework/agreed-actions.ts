import { isoInstantSql } from '../http/iso-instant';

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

/**
 * The actions of the plan or meeting a list's row is about, as a JSON array in due order: `table`
 * holds them, `belongsTo` ties them (alias a) to the row, `more` adds fields after the ones every
 * such list shows. The completion is written as the API writes every instant.
 */
export const agreedActionsJsonSql = (table: string, belongsTo: string, more = ''): string =>
  `coalesce((SELECT json_agg(json_build_object('actionId', a.action_id, 'what', a.what, 'owner', a.owner, 'agency', a.agency,
                                               'dueDate', a.due_date, 'completedAt', ${isoInstantSql('a.completed_at')}${more})
                             ORDER BY a.due_date, a.action_id)
               FROM ${table} a WHERE ${belongsTo}), '[]'::json)`;
