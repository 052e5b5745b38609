/** RFC 9457 problem details, the body of every error answer. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  instance?: string;
}

export interface FieldError {
  field: string;
  reason: string;
}

const PROBLEM_BASE = 'https://missing-children.example/problems/';

export function problem(status: number, slug: string, title: string, detail?: string, errors?: FieldError[]): Problem {
  return { type: PROBLEM_BASE + slug, title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
