import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../controller/src/cli/program.ts';
import { Database } from '../../controller/src/store/database.ts';
import { buildStaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-staff-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rig(args: string[], input?: string) {
  return spawnSync(process.execPath, ['bin/rig.js', '--data', dir, ...args], { input, encoding: 'utf8' });
}

/** Runs rig in this process; returns the exit code a CliError asked for (0 when none). */
async function inProcess(...args: string[]): Promise<number> {
  vi.stubEnv('RIG_CONFIG', '');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await buildProgram().parseAsync(['node', 'rig', ...args, '--data', dir]);
    return 0;
  } catch (err) {
    return typeof err === 'object' && err !== null && 'exitCode' in err ? Number(err.exitCode) : 70;
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
}

describe('rig staff', () => {
  it('adds an account from stdin and issues a token that opens the API', { timeout: 60_000 }, async () => {
    const add = rig(['staff', 'add', 'zhou.office', '--role', 'staff', '--password-stdin'], 'a long enough secret\n');
    expect(add.status, add.stderr).toBe(0);
    const token = rig(['staff', 'token', 'zhou.office']);
    expect(token.status, token.stderr).toBe(0);
    const value = token.stdout.trim();
    expect(value).toMatch(/^rigt_[A-Za-z0-9_-]{43}$/);

    const db = await Database.open(join(dir, 'rig.db'));
    try {
      const stored = await db.all<{ token_hash: string }>('SELECT token_hash FROM staff_tokens');
      expect(stored).toHaveLength(1);
      expect(stored[0]!.token_hash).not.toContain(value.slice(5));
      const pw = await db.get<{ password_hash: string }>('SELECT password_hash FROM staff_users');
      expect(pw?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      const { app } = await buildStaffApp({ db, dataDir: dir, photos: new ListPhotoSource([]) });
      const me = await app.inject({ url: '/api/session', headers: { authorization: `Bearer ${value}` } });
      expect(me.json().user).toEqual({ name: 'zhou.office', role: 'staff' });
      await app.close();
      const actions = (await listAudit(db, { limit: 10 })).map((r) => r.action);
      expect(actions).toEqual(['staff.token_issue', 'staff.user_add']);
    } finally {
      await db.close();
    }
  });

  it('refuses a short password from stdin', () => {
    const r = rig(['staff', 'add', 'a', '--role', 'staff', '--password-stdin'], 'short\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('8');
  }, 60_000);

  it('refuses bad roles and names, prompting without a terminal, tokens for unknown accounts', async () => {
    expect(await inProcess('staff', 'add', 'a', '--role', 'boss')).toBe(64);
    expect(await inProcess('staff', 'add', 'a/b', '--role', 'staff')).toBe(64);
    expect(process.stdin.isTTY).toBeFalsy();
    expect(await inProcess('staff', 'add', 'a', '--role', 'staff')).toBe(64);
    expect(await inProcess('staff', 'token', 'nobody')).toBe(1);
  });
});
