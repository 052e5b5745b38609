import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/**
 * A real SMTP server for tests: it keeps what it receives and can refuse every recipient with a
 * temporary failure while "down", so retries and recovery are exercised over a real connection.
 */
export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  /** Sockets that clients dropped mid-session (a service killed while it was sending). */
  readonly droppedConnections: Error[] = [];
  refusing = false;
  private server: SMTPServer | null = null;
  port = 0;

  async start(port = 0): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (_address, _session, callback) => {
        if (this.refusing) return callback(Object.assign(new Error('mail service unavailable, try later'), { responseCode: 421 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    // smtp-server re-emits a client's reset after MAIL FROM as the server's 'error' event; unheard, it
    // would end the suite with "read ECONNRESET" whenever a test kills the service mid-delivery.
    this.server.on('error', (error) => this.droppedConnections.push(error));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}
