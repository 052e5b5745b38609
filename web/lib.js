// Shared pieces: the html tag, the API client and the formats people read.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** GET or POST against the API with the bearer token; problem+json answers become ApiError. */
export async function api(token, path, { method = 'GET', accept = 'application/json' } = {}) {
  const response = await fetch(path, { method, headers: { authorization: `Bearer ${token}`, accept } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem.detail || problem.title || response.statusText);
  }
  return accept === 'application/json' ? response.json() : response.blob();
}

/** The claims a token carries, for the header and for which views to offer; the server decides access. */
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload));
  } catch {
    return null;
  }
}

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
export const formatTime = (iso) => (iso ? TIME.format(new Date(iso)) : '—');

/** "2 d 4 h", "3 h 20 min", "12 min": how long, to the nearest minute. */
export function formatDuration(ms) {
  const minutes = Math.max(0, Math.round(ms / 60000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}

export const percent = (share) => (share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`);

export const RISK_LABELS = { high: 'High', medium: 'Medium', low: 'Low', 'no-apparent-risk': 'No apparent risk' };
