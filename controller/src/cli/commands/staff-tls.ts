/**
 * `rig staff tls --self-signed`: HTTPS for the staff listener in one command. A P-256 key (made by
 * Node) and a self-signed certificate (made by the `openssl` tool) for this machine's names and LAN
 * addresses go into DATA/tls/; `rig serve` uses them when the configuration names no certificate.
 * The fingerprint is printed so that office PCs can pin it on first connection.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { certificateFingerprint, dataTlsFiles } from '../../server/staff/tls-files.ts';
import { CliError } from '../cli-error.ts';
import { withStore } from '../context.ts';

/** DNS names and IP addresses the certificate is valid for: this machine as the office reaches it. */
function subjectAltNames(extra: readonly string[]): string {
  const names = new Set(['localhost', hostname(), ...extra.filter((n) => !/^[\d.:]+$/.test(n))]);
  const ips = new Set(['127.0.0.1', ...extra.filter((n) => /^[\d.:]+$/.test(n))]);
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) ips.add(i.address);
  return [...[...names].map((n) => `DNS:${n}`), ...[...ips].map((ip) => `IP:${ip}`)].join(',');
}

export function registerStaffTls(staff: Command): void {
  staff
    .command('tls')
    .description('为工作人员接口生成 HTTPS 证书（写入数据目录）/ create the staff listener\'s HTTPS certificate in the data folder')
    .option('--self-signed', '自签名证书 / a self-signed certificate')
    .option('--name <names...>', 'extra host names or addresses the office uses')
    .option('--days <n>', 'validity in days', '825')
    .option('--force', '替换已有证书 / replace an existing certificate')
    .action(async (opts: { selfSigned?: boolean; name?: string[]; days: string; force?: boolean }, command: Command) => {
      if (!opts.selfSigned) throw new CliError(bilingual('staff.tls_need_mode'), 64);
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw new CliError('--days: 1-3650', 64);
      await withStore(command, async (ctx) => {
        const files = dataTlsFiles(ctx.layout.root);
        if (existsSync(files.cert) && !opts.force) throw new CliError(bilingual('staff.tls_exists', { cert: files.cert }), 73);
        mkdirSync(dirname(files.key), { recursive: true, mode: 0o700 });
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const keyPart = `${files.key}.${process.pid}.part`;
        const certPart = `${files.cert}.${process.pid}.part`;
        try {
          writeFileSync(keyPart, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
          const r = spawnSync('openssl', ['req', '-x509', '-new', '-key', keyPart, '-out', certPart, '-days', String(days), '-sha256',
            '-subj', '/O=rig/CN=rig staff', '-addext', `subjectAltName=${subjectAltNames(opts.name ?? [])}`,
            '-addext', 'extendedKeyUsage=serverAuth'], { encoding: 'utf8', timeout: 30_000 });
          if (r.status !== 0) throw new CliError(bilingual('staff.tls_failed', { detail: (r.stderr || String(r.error ?? r.signal)).trim() }));
          renameSync(keyPart, files.key);
          renameSync(certPart, files.cert);
        } finally {
          rmSync(keyPart, { force: true });
          rmSync(certPart, { force: true });
        }
        const fingerprint = certificateFingerprint(readFileSync(files.cert));
        await ctx.audit(ctx.db, { action: 'staff.tls_create', target: files.cert, details: { fingerprint, days } });
        console.log(bilingual('staff.tls_written', { cert: files.cert, key: files.key }));
        console.log(bilingual('staff.tls_fingerprint', { fingerprint }));
      });
    });
}
