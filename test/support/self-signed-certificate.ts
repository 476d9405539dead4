/**
 * A throw-away self-signed certificate (openssl, EC P-256, one day) for loopback HTTPS servers that
 * stand in for a provider or Slack. Its PEM file doubles as the CA a client is told to trust
 * (`ca:` or NODE_EXTRA_CA_CERTS), so a test can show both a verified and a refused connection.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SelfSignedCertificate {
  key: Buffer;
  cert: Buffer;
  /** The certificate's PEM file, for NODE_EXTRA_CA_CERTS. */
  certPath: string;
}

/** Writes `key.pem` and `cert.pem` into `dir`, valid for `localhost` and the given DNS names. */
export async function createSelfSignedCertificate(
  dir: string,
  names: string[],
): Promise<SelfSignedCertificate> {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const altNames = ['localhost', ...names].map((name) => `DNS:${name}`).join(',');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '1',
    '-subj', '/CN=localhost', '-addext', `subjectAltName=${altNames}`,
  ]); // prettier-ignore
  return { key: await readFile(keyPath), cert: await readFile(certPath), certPath };
}
