/**
 * The staff listener's own certificate, kept in the data folder (`rig staff tls --self-signed`
 * writes it). Used when the configuration names no certificate; its SHA-256 fingerprint is what
 * office PCs and `rig pull` users compare (pin) on first connection.
 */
import { existsSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';

export function dataTlsFiles(dataDir: string): { cert: string; key: string } {
  const dir = join(dataDir, 'tls');
  return { cert: join(dir, 'staff-cert.pem'), key: join(dir, 'staff-key.pem') };
}

/** The data folder's certificate and key, when both exist. */
export function existingDataTls(dataDir: string): { cert: string; key: string } | null {
  const files = dataTlsFiles(dataDir);
  return existsSync(files.cert) && existsSync(files.key) ? files : null;
}

/** `AB:CD:...`, as browsers and `openssl x509 -fingerprint -sha256` show it. */
export function certificateFingerprint(pem: string | Buffer): string {
  return new X509Certificate(pem).fingerprint256;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/** True when a plain-HTTP listener on `host` is reachable from the LAN (passwords would cross it in clear). */
export function lanWithoutTls(host: string, tls: boolean): boolean {
  return !tls && !LOOPBACK.test(host);
}
