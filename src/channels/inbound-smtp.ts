// Tend's own SMTP listener, the reply domain's MX: mail for that domain only (550 otherwise), not too large
// (552), STARTTLS with a certificate, no login; the sender checked (SPF, DKIM, DMARC; 550 when the From domain's
// DMARC policy says reject); 250 only once `receive` has recorded the message, else 451 (try again later).
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { DnsResolver } from '../config/settings.js';
import type { SenderVerdict } from '../domain/mail/sender-verdict.js';
import type { InboundMail } from './inbound-email.js';
import { readMimeMail } from './inbound-mime.js';
import type { InboundSmtpSettings } from './inbound-settings.js';
import { checkSmtpSender, systemDnsResolver } from './sender-authentication.js';

export interface InboundSmtpListener {
  readonly host: string;
  readonly port: number;
  /** STARTTLS is offered. */
  readonly tls: boolean;
  /** Stops taking connections; those in progress finish (or are cut after a few seconds). */
  close(): Promise<void>;
}

export interface InboundSmtpOptions {
  readonly settings: InboundSmtpSettings;
  /** TEND_REPLY_DOMAIN, lower-case: the only domain mail is accepted for. */
  readonly replyDomain: string;
  /**
   * Records the message (and what it changes), knowing whether its From address is proven; resolves once
   * committed, throws when it could not be.
   */
  readonly receive: (mail: InboundMail, sender: SenderVerdict) => Promise<void>;
  /** Answers the sender checks' DNS questions (default: the system's resolver). */
  readonly resolver?: DnsResolver;
  /** A message that could not be recorded (the sender was told to try again). */
  readonly onError: (error: unknown) => void;
}

/** More recipients than this in one message are refused (452): the sender sends the rest again. */
const maximumRecipients = 50;

/** An SMTP reply: smtp-server answers with the error's code and message. */
function reply(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** A reason fit for an SMTP reply line. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').slice(0, 400);

/** Listens on the configured address; resolves once it does (the port is the real one when 0 was asked). */
export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtpListener> {
  const { settings, replyDomain } = options;
  const tls = settings.tls;
  const resolver = options.resolver ?? systemDnsResolver;
  const senderOf = (raw: Buffer, mail: InboundMail, session: SMTPServerSession): Promise<SenderVerdict> => {
    if (settings.senderChecks === 'off') return Promise.resolve({ kind: 'unchecked' });
    const sender = session.envelope.mailFrom;
    const smtp = {
      ip: session.remoteAddress,
      helo: session.hostNameAppearsAs ?? '',
      mailFrom: sender === false ? '' : sender.address,
    };
    return checkSmtpSender(raw, mail.from, smtp, { resolver, receiver: replyDomain });
  };
  const server = new SMTPServer({
    logger: false,
    // An MX takes mail from anyone for its own domain: no login.
    authOptional: true,
    disabledCommands: tls === null ? ['AUTH', 'STARTTLS'] : ['AUTH'],
    ...(tls === null ? {} : { key: tls.key, cert: tls.cert }),
    size: settings.maxBytes,
    maxClients: 100,
    closeTimeout: 5000,
    onRcptTo(address, session, callback) {
      const recipient = address.address.toLowerCase();
      if (domainOf(recipient) !== replyDomain) {
        const what = `5.1.1 Tend takes mail for @${replyDomain} only; ${recipient} is not one of its addresses`;
        return callback(reply(550, what));
      }
      if (session.envelope.rcptTo.length >= maximumRecipients) {
        return callback(reply(452, `4.5.3 At most ${maximumRecipients} recipients per message; send the rest again`));
      }
      callback();
    },
    onData(stream, session, callback) {
      readWhole(stream, settings.maxBytes).then(
        async (raw) => {
          if (raw === null) {
            const what = `5.3.4 The message is larger than ${settings.maxBytes} bytes, the most Tend takes`;
            return callback(reply(552, what));
          }
          try {
            const mail = await readMimeMail(raw, envelopeOf(session));
            const sender = await senderOf(raw, mail, session);
            // As an MX does for a domain that asks it; a delivery report keeps its own rule (its return path).
            if (sender.kind === 'unverified' && sender.refuse && mail.deliveryReport === null) {
              return callback(reply(550, `5.7.1 ${oneLine(sender.reason)}`));
            }
            await options.receive(mail, sender);
            callback(null, '2.0.0 Recorded');
          } catch (error) {
            options.onError(error);
            callback(reply(451, '4.3.0 Tend could not record the message just now; please try again later'));
          }
        },
        (error: unknown) => {
          options.onError(error);
          callback(reply(451, '4.3.0 The message did not arrive whole; please try again later'));
        },
      );
    },
  });
  // A client's broken connection is its own business; the listener carries on.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    host: settings.host,
    port: address.port,
    tls: tls !== null,
    close: () => {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}

function envelopeOf(session: SMTPServerSession) {
  const sender = session.envelope.mailFrom;
  return {
    recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
    nullSender: sender === false || sender.address === '',
  };
}

/** The whole message, or null when it is over the limit (read to its end all the same, as SMTP needs). */
function readWhole(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks)));
  });
}
