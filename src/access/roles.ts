export const ROLES = [
  'call-handler',
  'coordinator',
  'officer',
  'senior-officer',
  'social-worker',
  'lscb-lead',
  'auditor',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);
