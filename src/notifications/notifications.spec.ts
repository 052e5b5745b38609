import { noticeJobId, type EscalationNotice } from './escalation-notice';
import { messageIdFor } from './mailer';
import { escapeHtml, ordinal, renderNotice, ruleInWords } from './mail-templates';

const notice = (overrides: Partial<EscalationNotice> = {}): EscalationNotice => ({
  escalationId: '0b6e4c1e-1f7d-4c55-9d0e-7a4a3c2b1a00',
  childId: '5d1c2b3a-0000-4000-8000-000000000001',
  recipient: { role: 'senior-officer', name: 'Insp Owen Greaves', email: 'owen.greaves@southyorks-police.example' },
  rule: 'lifetime',
  tier: 2,
  caseReference: 'MFH-2026-004217',
  childInitials: 'J.M.',
  childAgeYears: 14,
  district: 'Sheffield',
  counts: { last30Days: 2, last90Days: 5, last365Days: 9, lifetime: 20 },
  figures: { lifetimeEpisodes: 20, threshold: 20 },
  raisedAt: '2026-07-25T12:03:00.000Z',
  dashboardUrl: 'https://mfh.example/dashboard/escalations/1?from=mail&tier=2',
  ...overrides,
});

describe('the escalation e-mail', () => {
  it('reads as a short summary with the least personal data', () => {
    const mail = renderNotice(notice());

    expect(mail.subject).toBe("Escalation (tier 2): 20th missing episode in the child's history - case MFH-2026-004217, Sheffield");
    expect(mail.text).toBe(
      [
        "Escalation, tier 2: 20th missing episode in the child's history",
        '',
        "Why:      20th missing episode in the child's history",
        'Case:     MFH-2026-004217 (Sheffield)',
        'Child:    J.M., 14 years old',
        'Episodes: 2 in the last 30 days, 5 in 90 days, 9 in 365 days, 20 in all',
        'Raised:   25 Jul 2026, 13:03 (UK time)',
        '',
        'Open the case on the dashboard: https://mfh.example/dashboard/escalations/1?from=mail&tier=2',
        'Senior officers acknowledge the escalation there; one not acknowledged in time goes up a tier.',
        '',
        'You receive this as a tier 2 senior officer for Sheffield. By design this e-mail holds no names, dates of birth, addresses or notes: the case itself is on the dashboard.',
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<a href="https://mfh.example/dashboard/escalations/1?from=mail&amp;tier=2">');
  });

  it('escapes every value in the HTML and keeps the subject on one line', () => {
    const mail = renderNotice(
      notice({ caseReference: '<script>alert(1)</script>', childInitials: 'A&B', district: 'Shef"field\r\nBcc: x@y', childAgeYears: null }),
    );

    expect(mail.html).not.toMatch(/<script>|A&B|Shef"field/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('A&amp;B, age not recorded');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('links only to http(s) dashboards', () => {
    const mail = renderNotice(notice({ dashboardUrl: 'javascript:alert(1)' }));
    expect(mail.html).not.toContain('javascript:');
    expect(mail.text).not.toContain('javascript:');
  });

  it('puts each rule in words', () => {
    expect(ruleInWords('repeat-in-window', { episodesInWindow: 3, windowDays: 30 })).toBe('3rd missing episode within 30 days');
    expect(ruleInWords('repeat-without-plan', { episodesInWindow: 4, windowDays: 90 })).toBe(
      '4 missing episodes within 90 days and no active safeguarding plan',
    );
    expect(ruleInWords('high-risk', { grade: 'high' })).toBe('missing episode graded high risk');
    expect(ruleInWords('long-missing', {})).toBe('missing for more than 72 hours');
    expect(ruleInWords('review-overdue', { intervalHours: 1 })).toBe('risk review overdue (none within 1 hour)');
    expect(ruleInWords('return-interview-overdue', { hours: 72 })).toBe('no return home interview completed or declined within 72 hours of the return');
    expect(ruleInWords('meeting-action-overdue', { dueDate: '2026-12-01' })).toBe('a strategy meeting action is past its due date and not completed');
    expect(ruleInWords('cawn-not-served', { days: 7 })).toBe('child abduction warning notice not served within 7 days of the recommendation');
    expect(ruleInWords('linked-people-or-places', { linkKind: 'associate', otherCases: ['MFH-1A2B3C4D'] })).toBe(
      'a person named for this child is also named for 1 other child (MFH-1A2B3C4D)',
    );
    expect(ruleInWords('linked-people-or-places', { linkKind: 'place', otherCases: ['MFH-1', 'MFH-2'] })).toBe(
      'a place named for this child is also named for 2 other children (MFH-1, MFH-2)',
    );
    // A rule the template does not know yet still reads as words.
    expect(ruleInWords('some-future-rule', {})).toBe('some future rule');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 41, 111].map(ordinal)).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '41st', '111th',
    ]);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('job and message ids', () => {
  it('are deterministic per escalation and address, whatever the case of the address', () => {
    const id = noticeJobId('0b6e4c1e-1f7d-4c55-9d0e-7a4a3c2b1a00', 'Owen.Greaves@southyorks-police.example');
    expect(id).toBe(noticeJobId('0b6e4c1e-1f7d-4c55-9d0e-7a4a3c2b1a00', ' owen.greaves@southyorks-police.example'));
    expect(id).toMatch(/^notice\.0b6e4c1e-1f7d-4c55-9d0e-7a4a3c2b1a00\.[0-9a-f]{16}$/);
    expect(id).not.toBe(noticeJobId('0b6e4c1e-1f7d-4c55-9d0e-7a4a3c2b1a00', 'someone.else@southyorks-police.example'));
    expect(messageIdFor(id)).toBe(`<${id}@escalations.missing-children>`);
  });

  it('never contain ":" (BullMQ 6 refuses it) nor look like an integer: other ids are hashed', () => {
    const odd = noticeJobId('child-1:escalation:2', 'a@b.example');
    expect(odd).toMatch(/^notice\.h\.[0-9a-f]{32}\.[0-9a-f]{16}$/);
    expect(noticeJobId('42', 'a@b.example')).toMatch(/^notice\.42\./);
  });
});
