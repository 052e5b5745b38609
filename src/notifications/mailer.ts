import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';

/**
 * Where e-mail goes: an SMTP server (SMTP_URL), or, without one, .eml files in an outbox folder
 * (./data/outbox) that any mail client opens. Each message carries a Message-ID derived from its
 * job id, so a re-sent message is recognisably the same one, and the outbox overwrites its file.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** In angle brackets, e.g. "<notice.abc.0123@escalations.missing-children>"; see messageIdFor. */
  messageId: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

export interface MailerOptions {
  /** e.g. smtp://user:pass@mail.example:587 or smtps://...; unset: write .eml files to outboxDir. */
  smtpUrl?: string;
  outboxDir?: string;
  /** The From address, e.g. '"Missing children escalations" <escalations@force.example>'. */
  from?: string;
}

export const DEFAULT_FROM = '"Missing children escalations" <escalations@missing-children.invalid>';
export const DEFAULT_OUTBOX_DIR = './data/outbox';
export const MESSAGE_ID_DOMAIN = 'escalations.missing-children';

export function createMailer(options: MailerOptions = {}): Mailer {
  const from = options.from ?? DEFAULT_FROM;
  return options.smtpUrl ? new SmtpMailer(options.smtpUrl, from) : new OutboxMailer(options.outboxDir ?? DEFAULT_OUTBOX_DIR, from);
}

/** The same job always gives the same Message-ID, so a duplicate delivery is recognisable. */
export function messageIdFor(jobId: string, domain = MESSAGE_ID_DOMAIN): string {
  return `<${jobId.replace(/[^A-Za-z0-9._-]/g, '_')}@${domain}>`;
}

/** Headers every escalation mail carries: RFC 3834 says it is automatic (no out-of-office replies). */
const HEADERS = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  /**
   * One connection per message (no pool): nothing stale to recover after the server restarts.
   * Timeouts well under nodemailer's defaults (2 and 10 minutes), so a server that hangs fails the
   * attempt and the queue retries it later; options in the URL's query string take precedence.
   */
  constructor(smtpUrl: string, private readonly from: string = DEFAULT_FROM) {
    this.transport = createTransport({ url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ ...message, from: this.from, headers: HEADERS });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

export class OutboxMailer implements Mailer {
  /** nodemailer's stream transport builds the real RFC 5322 message (CRLF lines, MIME parts). */
  private readonly transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  constructor(readonly dir: string = DEFAULT_OUTBOX_DIR, private readonly from: string = DEFAULT_FROM) {}

  async send(message: MailMessage): Promise<void> {
    const info = await this.transport.sendMail({ ...message, from: this.from, headers: HEADERS });
    await mkdir(this.dir, { recursive: true });
    const file = this.fileFor(message.messageId);
    // Write then rename: a crash leaves either no file or a whole one, never half a message.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, info.message as Buffer);
    await rename(partial, file);
  }

  /** Named by Message-ID, so a re-send overwrites the same file rather than adding one. */
  fileFor(messageId: string): string {
    return join(this.dir, `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`);
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
