import type { ChildStreamEvent } from '../child-stream/child-stream';
import { ERASED } from './field-encryption';
import { mapPersonalStrings } from './personal-data';

/** The event type after which every read model scrubs the child's personal columns. */
export const PERSONAL_DATA_ERASED: ChildStreamEvent['type'] = 'ChildPersonalDataErased';

/** `data` as the event of `type` reads once erased: the same shape, every personal string replaced. */
export const erasedCopy = <T>(type: ChildStreamEvent['type'], data: T): T => mapPersonalStrings(type, data, () => ERASED) as T;

/** SQL assignments that mark text columns erased where they hold something: `a = CASE ... END, b = ...`. */
export const eraseColumns = (...columns: string[]): string =>
  columns.map((column) => `${column} = CASE WHEN ${column} IS NULL THEN NULL ELSE '${ERASED}' END`).join(', ');
