import { Actor } from '../event-store/event-store.port';
import { Role } from './roles';

/**
 * Roles that see every district: the auditor reads any case and who looked at it, the admin runs
 * the service. Every other role works in one district and its token must name it.
 */
export const FORCE_WIDE_ROLES: readonly Role[] = ['auditor', 'admin'];

/** What an actor may see: every child, or the children tied to one district. */
export type AccessScope =
  | { kind: 'force' }
  /** Staff: children whose local authority is the district, or with an episode there. */
  | { kind: 'district'; district: string }
  /** The LSCB lead: children whose local authority is theirs, nothing else. */
  | { kind: 'local-authority'; district: string };

export function scopeOf(actor: Actor): AccessScope {
  if (FORCE_WIDE_ROLES.includes(actor.role as Role)) return { kind: 'force' };
  if (!actor.district) throw new Error(`the role ${actor.role} works in a district, and the token names none`);
  return actor.role === 'lscb-lead' ? { kind: 'local-authority', district: actor.district } : { kind: 'district', district: actor.district };
}

/** How a child is tied to a district: its home local authority, or an episode reported there. */
export type DistrictTie = 'local-authority' | 'episode';

export function sees(scope: AccessScope, ties: { district: string; tie: DistrictTie }[]): boolean {
  switch (scope.kind) {
    case 'force':
      return true;
    case 'district':
      return ties.some(({ district }) => district === scope.district);
    case 'local-authority':
      return ties.some(({ district, tie }) => tie === 'local-authority' && district === scope.district);
  }
}
