import type { Actor } from '../event-store/event-store.port';
import type { Role } from '../access/roles';

/** The one district a caller sees, or null for the whole force. */
export type DistrictScope = string | null;

// Auditors and admins read across the force; everyone else with a district claim is held to it.
const FORCE_WIDE_ROLES: readonly Role[] = ['auditor', 'admin'];

/**
 * Which district's cases the dashboard shows this caller. Kept to this one function so a general
 * district-scope mechanism can replace it.
 */
export function dashboardScope(actor: Actor): DistrictScope {
  if (FORCE_WIDE_ROLES.includes(actor.role as Role)) return null;
  return actor.district ?? null;
}

/** The SQL condition that keeps a row in scope, the scope being parameter `$n`. */
export const inScope = (column: string, n: number): string => `($${n}::text IS NULL OR ${column} = $${n}::text)`;
