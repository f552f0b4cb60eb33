// A self-signed certificate for a test's TLS listener, made with openssl (Debian's package) in a fresh
// folder: the certificate and key files' paths, and the certificate to trust on the client side.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSigned {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
}

/** A P-256 certificate for `name` (and 127.0.0.1), valid a day. */
export function selfSignedCertificate(name = 'localhost'): SelfSigned {
  const folder = mkdtempSync(join(tmpdir(), 'tend-tls-'));
  const certPath = join(folder, 'cert.pem');
  const keyPath = join(folder, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=DNS:${name},IP:127.0.0.1`,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  );
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8') };
}
