import type { RecipientRole } from './directory';
import type { EscalationNotice } from './escalation-notice';

/**
 * The escalation e-mail, in plain text and HTML. The least personal data that does the job:
 * case reference, initials, age, district, episode counts, the rule in words, the tier and a
 * link to the dashboard. Never names, dates of birth, notes or addresses: the mail leaves the
 * force's systems, the dashboard does not. Only the fields below are read, whatever else a
 * caller put in the notice.
 */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function renderNotice(notice: EscalationNotice): RenderedMail {
  const why = ruleInWords(notice.rule, notice.figures);
  const age = ageInWords(notice.childAgeYears);
  const { last30Days, last90Days, last365Days, lifetime } = notice.counts;
  const episodes = `${num(last30Days)} in the last 30 days, ${num(last90Days)} in 90 days, ${num(last365Days)} in 365 days, ${num(lifetime)} in all`;
  const raised = whenInWords(notice.raisedAt);
  const link = /^https?:\/\//i.test(notice.dashboardUrl) ? notice.dashboardUrl : null;
  const as = roleInWords(notice.recipient.role, notice.tier, notice.district);
  const privacy = 'By design this e-mail holds no names, dates of birth, addresses or notes: the case itself is on the dashboard.';
  const acknowledge = 'Senior officers acknowledge the escalation there; one not acknowledged in time goes up a tier.';

  // The subject is the most widely seen line (previews, mail logs): no initials or age in it.
  const subject = oneLine(`Escalation (tier ${num(notice.tier)}): ${why} - case ${notice.caseReference}, ${notice.district}`);
  const rows: [string, string][] = [
    ['Why', why],
    ['Case', `${notice.caseReference} (${notice.district})`],
    ['Child', `${notice.childInitials}, ${age}`],
    ['Episodes', episodes],
    ['Raised', raised],
  ];
  const text = [
    `Escalation, tier ${num(notice.tier)}: ${why}`,
    '',
    ...rows.map(([label, value]) => `${`${label}:`.padEnd(10)}${oneLine(value)}`),
    '',
    link ? `Open the case on the dashboard: ${link}` : 'Open the case on the dashboard.',
    acknowledge,
    '',
    `You receive this as ${as}. ${privacy}`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: Arial, sans-serif; font-size: 14px; color: #1b1b1b">',
    `<h2 style="font-size: 18px">Escalation, tier ${num(notice.tier)}: ${escapeHtml(why)}</h2>`,
    '<table cellpadding="4" style="border-collapse: collapse">',
    ...rows.map(([label, value]) => `<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`),
    '</table>',
    link
      ? `<p><a href="${escapeHtml(link)}">Open the case on the dashboard</a></p>`
      : '<p>Open the case on the dashboard.</p>',
    `<p>${escapeHtml(acknowledge)}</p>`,
    `<p style="color: #555; font-size: 12px">You receive this as ${escapeHtml(as)}. ${escapeHtml(privacy)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}

/** The rule and the figures that triggered it, e.g. "3rd missing episode within 30 days". */
export function ruleInWords(rule: string, figures: Record<string, unknown>): string {
  const n = (key: string): number | null => {
    const value = figures[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  const episodes = n('episodesInWindow') ?? n('threshold');
  const days = n('windowDays');
  switch (rule) {
    case 'repeat-in-window':
      return episodes && days ? `${ordinal(episodes)} missing episode within ${days} days` : 'repeat missing episodes within a month';
    case 'lifetime': {
      const total = n('lifetimeEpisodes') ?? n('threshold');
      return total ? `${ordinal(total)} missing episode in the child's history` : 'lifetime missing episodes reached a threshold';
    }
    case 'repeat-without-plan':
      return `${episodes && days ? `${episodes} missing episodes within ${days} days` : 'repeat missing episodes'} and no active safeguarding plan`;
    case 'high-risk':
      return 'missing episode graded high risk';
    case 'review-overdue': {
      const hours = n('intervalHours') ?? n('hours');
      return hours ? `risk review overdue (none within ${plural(hours, 'hour')})` : 'risk review overdue';
    }
    case 'long-missing': {
      const hours = n('hours') ?? n('thresholdHours');
      return `missing for more than ${plural(hours ?? 72, 'hour')}`;
    }
    case 'unacknowledged':
      return 'an earlier escalation was not acknowledged in time';
    case 'return-interview-overdue':
      return `no return home interview completed or declined within ${plural(n('hours') ?? 72, 'hour')} of the return`;
    case 'meeting-action-overdue':
      return 'a strategy meeting action is past its due date and not completed';
    case 'cawn-not-served':
      return `child abduction warning notice not served within ${plural(n('days') ?? 7, 'day')} of the recommendation`;
    case 'linked-people-or-places': {
      // Never the name or the address: the mail says what kind of link, and to which cases.
      const what = figures.linkKind === 'place' ? 'a place' : 'a person';
      const others = Array.isArray(figures.otherCases) ? figures.otherCases.filter((c): c is string => typeof c === 'string') : [];
      const count = others.length === 1 ? '1 other child' : `${others.length} other children`;
      const children = others.length ? `${count} (${others.join(', ')})` : 'other children';
      return `${what} named for this child is also named for ${children}`;
    }
    default:
      return rule.replace(/[-_]+/g, ' ');
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function roleInWords(role: RecipientRole, tier: number, district: string): string {
  switch (role) {
    case 'lscb-lead':
      return `the LSCB lead for ${district}`;
    case 'coordinator':
      return `a missing-from-home coordinator for ${district}`;
    case 'supervisor':
      return `a supervisor for ${district}`;
    case 'senior-officer':
      return `a tier ${num(tier)} senior officer for ${district}`;
  }
}

function ageInWords(years: number | null): string {
  if (years === null || !Number.isInteger(years) || years < 0) return 'age not recorded';
  return years === 1 ? '1 year old' : `${years} years old`;
}

const UK_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });

function whenInWords(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${UK_TIME.format(date)} (UK time)`;
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
const num = (value: number): string => (Number.isFinite(value) ? String(value) : '?');
const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ');
