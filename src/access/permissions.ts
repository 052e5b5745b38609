import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ACCESS_ACTION, ALLOWED_ROLES } from './access.decorators';
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
  // Meetings' records and plans hold decisions and concerns in free text: not for the LSCB lead.
  'read-strategy-meetings': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'auditor', 'admin'],
  'manage-notifications': ['coordinator', 'admin'],
  // The casework after a return: officers check and serve notices, social care interviews and plans,
  // coordinators run meetings; senior officers may do the police's part. Auditors read everything.
  'record-safe-and-well-check': ['officer', 'senior-officer', 'admin'],
  'record-return-interview': ['social-worker', 'admin'],
  // RHI findings hold disclosures: not for the LSCB lead, who reads summaries.
  'read-return-work': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'auditor', 'admin'],
  'manage-safeguarding-plans': ['social-worker', 'admin'],
  'read-safeguarding-plans': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'auditor', 'admin'],
  'manage-strategy-meetings': ['coordinator', 'senior-officer', 'admin'],
  'manage-warning-notices': ['officer', 'senior-officer', 'admin'],
  'read-warning-notices': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'auditor', 'admin'],
  // The people and places around a child, and other children's case references: not for the call handler.
  'read-links': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'auditor', 'admin'],
  // The dashboard: LSCB leads read the comparison and the summaries, never the lists with names.
  'read-dashboard': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'lscb-lead', 'auditor', 'admin'],
  'read-dashboard-cases': ['coordinator', 'officer', 'senior-officer', 'social-worker', 'auditor', 'admin'],
  // Who looked at a child's record: the auditor's work; the admin answers for the service.
  'read-audit-log': ['auditor', 'admin'],
  // Irreversible: the force's data protection function, through an admin account.
  'erase-child': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export const Can = (action: Action) =>
  applyDecorators(
    SetMetadata(ALLOWED_ROLES, PERMISSIONS[action]),
    SetMetadata(ACCESS_ACTION, action),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no valid bearer token' }),
    ApiForbiddenResponse({ description: `roles allowed: ${PERMISSIONS[action].join(', ')}` }),
  );
