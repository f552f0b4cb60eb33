// A real SMTP server for the journeys benchmark, on a loopback port in the benchmark process: it takes
// every message Tend sends, keeps only the envelope recipient and the arrival time (parsing MIME would
// spend CPU the two cores are short of), and so can tell whether each subject got exactly one e-mail.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CountingSmtpServer {
  readonly port: number;
  /** Messages accepted so far, duplicates included. */
  received(): number;
  /** Arrival time (Date.now(), ms) of the first message to each subject; NaN where none came. */
  readonly firstArrival: Float64Array;
  /** Messages per subject (0, 1, or more for a duplicate). */
  readonly perSubject: Uint16Array;
  /** Recipients that named no subject of this run (should stay empty). */
  readonly strangers: string[];
  close(): Promise<void>;
}

/** The address the benchmark gives subject `index`, and the way back from an address to the index. */
export const subjectEmail = (index: number): string => `subject${index}@customer.example`;
const subjectPattern = /^subject(\d+)@customer\.example$/i;

export async function startCountingSmtpServer(subjects: number): Promise<CountingSmtpServer> {
  const firstArrival = new Float64Array(subjects).fill(Number.NaN);
  const perSubject = new Uint16Array(subjects);
  const strangers: string[] = [];
  let received = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    // Tend keeps pooled connections open; without this, closing waits 30 s for them.
    closeTimeout: 200,
    logger: false,
    // Each Tend process opens up to 4 pooled connections; leave room for reconnects.
    maxClients: 64,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.once('end', () => {
        const at = Date.now();
        received++;
        for (const recipient of session.envelope.rcptTo) {
          const match = subjectPattern.exec(recipient.address);
          const index = match ? Number(match[1]) : -1;
          if (index < 0 || index >= subjects) {
            strangers.push(recipient.address);
            continue;
          }
          if (perSubject[index] === 0) firstArrival[index] = at;
          perSubject[index] = Math.min(65_535, perSubject[index]! + 1);
        }
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received: () => received,
    firstArrival,
    perSubject,
    strangers,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
