// Reads TEND_SMTP_URL (`smtp://user:pass@host:port` or `smtps://…`) into the parts nodemailer needs,
// with problems that name the variable and never echo the password; and decides how the connection
// is protected: TLS always, unless the server is on this machine or plain text is explicitly allowed.
import { isLoopbackHost } from '../config/loopback-host.js';

export interface SmtpServer {
  /** true for smtps:// (TLS from the first byte, port 465); false: plain, upgraded with STARTTLS. */
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  readonly auth: { readonly user: string; readonly password: string } | null;
}

export type SmtpUrlReading = { kind: 'valid'; server: SmtpServer } | { kind: 'invalid'; problem: string };

const variable = 'TEND_SMTP_URL';
const exampleUrls = ['smtp://user:password@mail.example.com:587', 'smtps://user:password@mail.example.com:465'];

/** Reads an SMTP URL; `invalid` says what is wrong and how a correct value looks. */
export function readSmtpUrl(value: string): SmtpUrlReading {
  const example = `e.g. ${variable}=${exampleUrls.join(' or ')}`;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { kind: 'invalid', problem: `${variable} is not a URL (${example})` };
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'smtp' && scheme !== 'smtps') {
    return {
      kind: 'invalid',
      problem: `${variable} must start with smtp:// or smtps://, not ${scheme}:// (${example})`,
    };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return { kind: 'invalid', problem: `${variable} has no host (${example})` };
  const secure = scheme === 'smtps';
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return { kind: 'invalid', problem: `${variable} has an invalid port (${example})` };
  }
  if (url.pathname !== '' && url.pathname !== '/') {
    return { kind: 'invalid', problem: `${variable} must not have a path after the port (${example})` };
  }
  let user: string;
  let password: string;
  try {
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    return { kind: 'invalid', problem: `${variable} has a badly percent-encoded user or password` };
  }
  if (user !== '' && password === '') {
    return {
      kind: 'invalid',
      problem:
        `${variable} names user "${user}" but no password ` +
        '(smtp://user:password@host:port; percent-encode @ : / in it)',
    };
  }
  if (user === '' && password !== '') {
    return { kind: 'invalid', problem: `${variable} has a password but no user (smtp://user:password@host:port)` };
  }
  return { kind: 'valid', server: { secure, host, port, auth: user === '' ? null : { user, password } } };
}

/**
 * How a connection to the server is protected: smtps:// speaks TLS from the first byte; smtp:// must
 * upgrade with STARTTLS (a server that does not offer it is refused), unless the host is this machine
 * or TEND_SMTP_ALLOW_PLAINTEXT allows a plain connection (the password and messages then go unencrypted).
 */
type SmtpTransportSecurity =
  | { readonly kind: 'implicit-tls' }
  | { readonly kind: 'starttls-required' }
  | { readonly kind: 'plaintext-allowed'; readonly because: 'loopback' | 'TEND_SMTP_ALLOW_PLAINTEXT' };

export function smtpTransportSecurity(server: SmtpServer, allowPlaintext: boolean): SmtpTransportSecurity {
  if (server.secure) return { kind: 'implicit-tls' };
  if (isLoopbackHost(server.host)) return { kind: 'plaintext-allowed', because: 'loopback' };
  if (allowPlaintext) return { kind: 'plaintext-allowed', because: 'TEND_SMTP_ALLOW_PLAINTEXT' };
  return { kind: 'starttls-required' };
}
