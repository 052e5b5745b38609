import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ALLOWED_ROLES } from './access.decorators';
import { Role } from './roles';

/** Who may do what: one table, applied to every route through @Can. */
export const PERMISSIONS = {
  'register-child': ['call-handler', 'coordinator', 'officer', 'senior-officer', 'social-worker', 'admin'],
  'update-child': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'admin'],
  'read-child-summary': ['call-handler', 'coordinator', 'officer', 'senior-officer', 'social-worker', 'lscb-lead', 'auditor', 'admin'],
  'read-child-record': ['call-handler', 'coordinator', 'officer', 'senior-officer', 'social-worker', 'auditor', 'admin'],
  'report-missing': ['call-handler', 'coordinator', 'officer', 'senior-officer', 'admin'],
  'assess-risk': ['officer', 'senior-officer', 'admin'],
  'record-enquiry': ['call-handler', 'coordinator', 'officer', 'senior-officer', 'admin'],
  'record-return': ['call-handler', 'coordinator', 'officer', 'senior-officer', 'admin'],
  'cancel-episode': ['coordinator', 'officer', 'senior-officer', 'admin'],
  'close-episode': ['coordinator', 'officer', 'senior-officer', 'admin'],
  'read-escalations': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'lscb-lead', 'auditor', 'admin'],
  'acknowledge-escalation': ['senior-officer', 'admin'],
  'read-strategy-meetings': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'lscb-lead', 'auditor', 'admin'],
  'manage-notifications': ['coordinator', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export const Can = (action: Action) =>
  applyDecorators(
    SetMetadata(ALLOWED_ROLES, PERMISSIONS[action]),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no valid bearer token' }),
    ApiForbiddenResponse({ description: `roles allowed: ${PERMISSIONS[action].join(', ')}` }),
  );
