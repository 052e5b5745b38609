import { connect, type Socket } from 'node:net';
import { SmtpPeer } from './support/smtp-peer';

/** Writes one SMTP line and resolves with the server's reply. */
function say(socket: Socket, line: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (reply: Buffer) => resolve(reply.toString()));
    socket.write(`${line}\r\n`);
  });
}

/**
 * The crash suites SIGKILL the service while it talks to this peer. A reset inside a mail
 * transaction must be recorded, not thrown into the suite as "read ECONNRESET".
 */
describe('the test SMTP peer when a client dies mid-transaction', () => {
  const smtp = new SmtpPeer();

  beforeAll(() => smtp.start());
  afterAll(() => smtp.stop());

  it('records the dropped connection and keeps serving', async () => {
    const socket = connect(smtp.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('data', resolve)); // the greeting
    await say(socket, 'EHLO killed.test');
    expect(await say(socket, 'MAIL FROM:<noreply@mfh.test>')).toMatch(/^250/);
    socket.resetAndDestroy(); // a TCP RST, as the kernel sends for a process killed with SIGKILL

    const deadline = Date.now() + 5_000;
    while (smtp.droppedConnections.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(smtp.droppedConnections.map((error) => (error as NodeJS.ErrnoException).code)).toEqual(['ECONNRESET']);

    const next = connect(smtp.port, '127.0.0.1');
    const greeting = await new Promise<string>((resolve) => next.once('data', (reply: Buffer) => resolve(reply.toString())));
    expect(greeting).toMatch(/^220/);
    next.destroy();
  });
});
