import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { DirectoryError, loadDirectory, resolveRecipients } from '../src/notifications/directory';
import { noticeJobId, type EscalationNotice } from '../src/notifications/escalation-notice';
import { OutboxMailer, SmtpMailer, type Mailer } from '../src/notifications/mailer';
import {
  createRedisConnection,
  NotificationQueue,
  NotificationWorker,
  type DeliveryReceipt,
  type OnDelivered,
} from '../src/notifications/notification-queue';
import { assertRedisNoEviction, evictionPolicyProblem } from '../src/notifications/redis-check';

/**
 * The e-mail side of escalations against the machine's real Redis and a real SMTP peer
 * (smtp-server) started here. Each pipeline has its own BullMQ prefix, obliterated at the end.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DISTRICTS = ['Barnsley', 'Doncaster', 'Rotherham', 'Sheffield'];

/** A real SMTP server that can refuse chosen addresses for a number of attempts. */
class SmtpPeer {
  readonly received: { to: string[]; raw: string; mail: ParsedMail }[] = [];
  readonly rcptTimes = new Map<string, number[]>();
  private readonly refusals = new Map<string, { code: number; remaining: number }>();
  private server = this.create();
  port = 0;

  refuse(email: string, code: number, times = Infinity): void {
    this.refusals.set(email, { code, remaining: times });
  }

  accept(email: string): void {
    this.refusals.delete(email);
  }

  to(email: string) {
    return this.received.filter((message) => message.to.includes(email));
  }

  async start(port = 0): Promise<number> {
    this.server = this.create();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private create(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        this.rcptTimes.set(address.address, [...(this.rcptTimes.get(address.address) ?? []), Date.now()]);
        const refusal = this.refusals.get(address.address);
        if (refusal && refusal.remaining > 0) {
          refusal.remaining -= 1;
          const error = Object.assign(new Error(`${address.address}: not now`), { responseCode: refusal.code });
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (mail) => {
              this.received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw, mail });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
  }
}

const peer = new SmtpPeer();
let redis: Redis;
let smtp: SmtpMailer;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = createRedisConnection(REDIS_URL);
  await peer.start();
  smtp = new SmtpMailer(`smtp://127.0.0.1:${peer.port}`);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await smtp.close();
  await peer.stop();
  await redis.quit();
});

function notice(email: string, overrides: Partial<EscalationNotice> = {}): EscalationNotice {
  return {
    escalationId: randomUUID(),
    childId: randomUUID(),
    recipient: { role: 'lscb-lead', name: 'Margaret Ellis', email },
    rule: 'repeat-in-window',
    tier: 2,
    caseReference: 'MFH-2026-004217',
    childInitials: 'J.M.',
    childAgeYears: 14,
    district: 'Sheffield',
    counts: { last30Days: 3, last90Days: 5, last365Days: 8, lifetime: 41 },
    figures: { episodesInWindow: 3, windowDays: 30, threshold: 3 },
    raisedAt: '2026-11-25T12:03:00.000Z',
    dashboardUrl: 'https://mfh.example/dashboard/escalations/123',
    ...overrides,
  };
}

const address = () => `officer.${randomUUID().slice(0, 8)}@southyorks-police.example`;

/** A queue and a worker on a prefix of their own; the worker records each onDelivered call. */
function pipeline(options: { attempts?: number; backoffDelayMs?: number; mailer?: Mailer; onDelivered?: OnDelivered } = {}) {
  const prefix = `test-notifications-${randomUUID()}`;
  const queue = new NotificationQueue({ connection: redis, prefix, attempts: options.attempts ?? 6, backoffDelayMs: options.backoffDelayMs ?? 100 });
  const delivered: { notice: EscalationNotice; receipt: DeliveryReceipt }[] = [];
  const logs: string[] = [];
  const worker = new NotificationWorker({
    connection: redis,
    prefix,
    mailer: options.mailer ?? smtp,
    onDelivered: async (notice, receipt) => {
      await options.onDelivered?.(notice, receipt);
      delivered.push({ notice, receipt });
    },
    log: (line) => logs.push(line),
  });
  cleanups.push(async () => {
    await worker.close();
    await queue.queue.obliterate({ force: true });
    await queue.close();
  });
  return { queue, worker, delivered, logs };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

describe('escalation e-mails through BullMQ and SMTP', () => {
  it('delivers a notice once, with text and HTML, the counts, and no child name', async () => {
    const { queue, delivered } = pipeline();
    const email = address();
    // A careless caller spreads the whole case into the notice: none of it may travel.
    const careless = { ...notice(email), childName: 'Jessica Marsden', dateOfBirth: '2012-03-04', notes: 'seen near Park Lane' };

    const jobId = await queue.enqueue(careless as EscalationNotice);
    await waitFor(() => delivered.length === 1, 'delivery');
    await settle();

    const [message] = peer.to(email);
    expect(peer.to(email)).toHaveLength(1);
    expect(delivered).toHaveLength(1);
    expect(message.mail.messageId).toBe(delivered[0].receipt.messageId);
    expect(delivered[0].receipt.messageId).toBe(`<${jobId}@escalations.missing-children>`);
    expect(message.mail.subject).toBe('Escalation (tier 2): 3rd missing episode within 30 days - case MFH-2026-004217, Sheffield');
    for (const body of [message.mail.text ?? '', String(message.mail.html)]) {
      expect(body).toContain('3 in the last 30 days, 5 in 90 days, 8 in 365 days, 41 in all');
      expect(body).toContain('J.M., 14 years old');
      expect(body).toContain('https://mfh.example/dashboard/escalations/123');
    }
    for (const personal of ['Jessica', 'Marsden', '2012-03-04', 'Park Lane']) {
      expect(message.raw).not.toContain(personal);
      expect(JSON.stringify((await queue.queue.getJob(jobId))?.data)).not.toContain(personal);
    }
    expect(message.mail.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('delivers one e-mail for the same notice enqueued twice, also after it completed', async () => {
    const { queue, delivered } = pipeline();
    const email = address();
    const once = notice(email, { escalationId: 'escalation:with:colons' });

    const ids = await Promise.all([queue.enqueue(once), queue.enqueue({ ...once })]);
    await waitFor(() => delivered.length === 1, 'delivery');
    ids.push(await queue.enqueue(once));
    await settle();

    expect(new Set(ids)).toEqual(new Set([noticeJobId('escalation:with:colons', email)]));
    expect(peer.to(email)).toHaveLength(1);
    expect(delivered).toHaveLength(1);
  });

  it('retries with growing delays while the server refuses, then delivers exactly once', async () => {
    const { queue, delivered, logs } = pipeline({ backoffDelayMs: 100 });
    const email = address();
    peer.refuse(email, 451, 3);

    await queue.enqueue(notice(email));
    await waitFor(() => delivered.length === 1, 'delivery after refusals');
    await settle();

    const times = peer.rcptTimes.get(email) ?? [];
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((time, index) => time - times[index]);
    gaps.forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual(100 * 2 ** index - 10));
    expect(logs.filter((line) => line.includes('451'))).toHaveLength(3);
    expect(logs[0]).toMatch(/attempt 1 of 6 failed \(will retry\)/);
    expect(peer.to(email)).toHaveLength(1);
  });

  it('keeps retrying while the SMTP server is down and delivers once when it is back', async () => {
    const down = new SmtpPeer();
    const port = await down.start();
    await down.stop();
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`);
    cleanups.push(() => mailer.close());
    const { queue, delivered, logs } = pipeline({ backoffDelayMs: 100, mailer });
    const email = address();

    await queue.enqueue(notice(email));
    await waitFor(() => logs.length >= 2, 'two refused connections');
    expect(logs.join('\n')).toMatch(/ECONNREFUSED/);
    await down.start(port);
    cleanups.push(() => down.stop());
    await waitFor(() => delivered.length === 1, 'delivery after the server came back');
    await settle();

    expect(down.to(email)).toHaveLength(1);
  });

  it('does not send again when only the onDelivered callback failed', async () => {
    let calls = 0;
    const { queue, delivered } = pipeline({
      onDelivered: () => {
        calls += 1;
        if (calls === 1) throw new Error('event store unavailable');
      },
    });
    const email = address();

    await queue.enqueue(notice(email));
    await waitFor(() => delivered.length === 1, 'the callback to succeed');
    await settle();

    expect(calls).toBe(2);
    expect(peer.to(email)).toHaveLength(1);
  });

  it('turns a notice that used up its attempts into a dead letter, and retrying it delivers', async () => {
    const { queue, delivered } = pipeline({ attempts: 3, backoffDelayMs: 50 });
    const email = address();
    peer.refuse(email, 451);
    const sent = notice(email);

    const jobId = await queue.enqueue(sent);
    await waitFor(async () => (await queue.deadLetters()).length === 1, 'the dead letter');
    const [dead] = await queue.deadLetters();
    expect(dead).toMatchObject({ jobId, escalationId: sent.escalationId, email, attemptsMade: 3 });
    expect(dead.lastError).toMatch(/451/);
    expect(new Date(dead.failedAt ?? '').getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect(peer.to(email)).toHaveLength(0);

    peer.accept(email);
    // Not the caller's to retry (a child outside their district): answered as if there were no such job.
    await expect(queue.retryDeadLetter(jobId, async () => false)).rejects.toThrow(/no job/);
    expect(await queue.deadLetters()).toHaveLength(1);
    await queue.retryDeadLetter(jobId, async (asked) => asked.childId === sent.childId);
    await waitFor(() => delivered.length === 1, 'delivery of the retried dead letter');
    await settle();
    expect(peer.to(email)).toHaveLength(1);
    expect(await queue.deadLetters()).toEqual([]);
    await expect(queue.retryDeadLetter(jobId, async () => true)).rejects.toThrow(/not a dead letter/);
  });

  it('sends an address the server refuses for good (5xx) straight to the dead letters', async () => {
    const { queue, logs } = pipeline({ attempts: 5, backoffDelayMs: 50 });
    const email = address();
    peer.refuse(email, 550);

    await queue.enqueue(notice(email));
    await waitFor(async () => (await queue.deadLetters()).length === 1, 'the dead letter');
    const [dead] = await queue.deadLetters();
    expect(dead.attemptsMade).toBe(1);
    expect(dead.lastError).toMatch(/550/);
    await waitFor(() => logs.some((line) => line.includes('attempt 1 of 5 failed (now a dead letter)')), 'the log line');
  });
});

describe('the outbox (no SMTP_URL)', () => {
  it('writes one parseable .eml per message, named by Message-ID, overwritten on re-send', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const outbox = new OutboxMailer(dir);
    const message = { to: 'lead@sheffield-lscb.example', subject: 'Escalation (tier 1)', text: 'Episodes: 3', html: '<p>Episodes: 3</p>', messageId: '<notice.e1.abc@escalations.missing-children>' };

    await outbox.send(message);
    await outbox.send(message);
    await outbox.close();

    expect(await readdir(dir)).toEqual(['notice.e1.abc@escalations.missing-children.eml']);
    const raw = await readFile(outbox.fileFor(message.messageId), 'utf8');
    expect(raw).toContain('\r\n');
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe(message.messageId);
    expect(mail.subject).toBe('Escalation (tier 1)');
    expect(mail.text?.trim()).toBe('Episodes: 3');
    expect(mail.html).toContain('<p>Episodes: 3</p>');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('lead@sheffield-lscb.example');
  });
});

describe('Redis eviction policy', () => {
  it('passes on the local Redis, which runs with noeviction', async () => {
    await expect(assertRedisNoEviction(redis)).resolves.toBeUndefined();
  });

  it('says Redis is unreachable, rather than hang or blame the policy, when none answers', async () => {
    const waiting = createRedisConnection('redis://127.0.0.1:1');
    const failing = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    for (const client of [waiting, failing]) client.on('error', () => undefined);
    try {
      await expect(assertRedisNoEviction(waiting, { timeoutMs: 300 })).rejects.toMatchObject({
        kind: 'unreachable',
        message: 'Redis at redis://127.0.0.1:1 did not answer (no reply within 0.3 s): start it (redis-server --maxmemory-policy noeviction) or set the Redis URL',
      });
      await expect(assertRedisNoEviction(failing)).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringMatching(/did not answer \(.+\)/) });
    } finally {
      waiting.disconnect();
      failing.disconnect();
    }
  });

  it('says in one line how to fix a wrong policy, and what a refused CONFIG means', () => {
    expect(evictionPolicyProblem('redis://127.0.0.1:6379', { policy: 'noeviction' })).toBeNull();
    expect(evictionPolicyProblem('redis://127.0.0.1:6379', { policy: 'allkeys-lru' })).toBe(
      'Redis at redis://127.0.0.1:6379 has maxmemory-policy allkeys-lru; BullMQ needs noeviction: ' +
        'run `redis-cli config set maxmemory-policy noeviction` (and `config rewrite` to keep it) or start redis-server with --maxmemory-policy noeviction',
    );
    const refused = evictionPolicyProblem('redis://cache.example:6379', { error: new Error("ERR unknown command 'CONFIG'") });
    expect(refused).toMatch(/^Redis at redis:\/\/cache\.example:6379 does not allow reading its maxmemory-policy \(CONFIG GET: ERR unknown command 'CONFIG'\)/);
    expect(refused).not.toContain('\n');
  });
});

describe('the recipient directory', () => {
  it('loads config/directory.json and resolves recipients per district and tier', () => {
    const directory = loadDirectory(join(process.cwd(), 'config/directory.json'), DISTRICTS);

    for (const district of DISTRICTS) {
      const [lead] = resolveRecipients(directory, district, ['lscb-lead'], 1);
      expect(lead).toEqual({ role: 'lscb-lead', ...directory[district].lscbLead });
    }
    const sheffield = resolveRecipients(directory, 'Sheffield', ['senior-officer', 'lscb-lead'], 2);
    expect(sheffield.map((r) => [r.role, r.email])).toEqual([
      ['senior-officer', 'joseph.mensah@southyorks-police.example'],
      ['lscb-lead', 'margaret.ellis@sheffield-lscb.example'],
    ]);
    // Tier 5 is not configured: the highest tier below it (3) answers.
    expect(resolveRecipients(directory, 'Doncaster', ['senior-officer'], 5).map((r) => r.email)).toEqual(['michael.tranter@southyorks-police.example']);
    expect(() => resolveRecipients(directory, 'Leeds', ['lscb-lead'], 1)).toThrow(/no entry for district "Leeds"/);
  });

  it('falls back to the tier below and sends one e-mail to a person with two roles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'directory-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'directory.json');
    const person = (name: string, email: string) => ({ name, email });
    await writeFile(
      file,
      JSON.stringify({
        districts: {
          Barnsley: {
            lscbLead: person('Helen Marsh', 'helen.marsh@barnsley-lscb.example'),
            coordinators: [person('Priya Shah', 'priya.shah@police.example')],
            supervisors: [person('Priya Shah', 'Priya.Shah@police.example'), person('Dean Hollis', 'dean.hollis@police.example')],
            seniorOfficers: { '1': [person('Mark Ellison', 'mark.ellison@police.example')], '3': [person('Grace Holloway', 'grace.holloway@police.example')] },
          },
        },
      }),
    );
    const directory = loadDirectory(file);

    const recipients = resolveRecipients(directory, 'Barnsley', ['coordinator', 'supervisor', 'senior-officer'], 2);
    expect(recipients.map((r) => `${r.role} ${r.email}`)).toEqual([
      'coordinator priya.shah@police.example',
      'supervisor dean.hollis@police.example',
      'senior-officer mark.ellison@police.example',
    ]);
    expect(resolveRecipients(directory, 'Barnsley', ['senior-officer'], 3)[0].email).toBe('grace.holloway@police.example');
  });

  it('refuses a bad file with one line naming the district and the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'directory-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const good = JSON.parse(await readFile(join(process.cwd(), 'config/directory.json'), 'utf8'));
    const write = async (content: unknown) => {
      const file = join(dir, `${randomUUID()}.json`);
      await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    };
    const refusal = async (content: unknown, districts: string[] = []) => {
      const file = await write(content);
      try {
        loadDirectory(file, districts);
      } catch (error) {
        expect(error).toBeInstanceOf(DirectoryError);
        expect((error as Error).message).not.toContain('\n');
        return (error as Error).message.replace(file, '<file>');
      }
      throw new Error('the directory was accepted');
    };

    const badEmail = structuredClone(good);
    badEmail.districts.Rotherham.lscbLead.email = 'ann whitaker';
    expect(await refusal(badEmail)).toBe('directory <file>: Rotherham.lscbLead.email: "ann whitaker" is not an e-mail address');
    const noTierOne = structuredClone(good);
    delete noTierOne.districts.Doncaster.seniorOfficers['1'];
    expect(await refusal(noTierOne)).toMatch(/Doncaster\.seniorOfficers: tier "1" is required/);
    const emptySupervisors = structuredClone(good);
    emptySupervisors.districts.Sheffield.supervisors = [];
    expect(await refusal(emptySupervisors)).toMatch(/Sheffield\.supervisors: expected a non-empty list/);
    const missingDistrict = structuredClone(good);
    delete missingDistrict.districts.Barnsley;
    expect(await refusal(missingDistrict, DISTRICTS)).toMatch(/Barnsley: the district is configured/);
    expect(await refusal('{ not json')).toMatch(/^directory <file>: cannot read it as JSON/);
  });
});
