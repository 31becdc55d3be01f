import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../controller/src/store/database.ts';
import { buildStaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/accepted-photos.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-staff-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rig(args: string[], input?: string) {
  return spawnSync(process.execPath, ['bin/rig.js', '--data', dir, ...args], { input, encoding: 'utf8' });
}

describe('rig staff', () => {
  it('adds an account from stdin and issues a token that opens the API', async () => {
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

  it('refuses short passwords, bad roles and prompting without a terminal', () => {
    expect(rig(['staff', 'add', 'a', '--role', 'staff', '--password-stdin'], 'short\n').status).toBe(1);
    expect(rig(['staff', 'add', 'a', '--role', 'boss', '--password-stdin'], 'long enough pw\n').status).toBe(64);
    const noTty = rig(['staff', 'add', 'a', '--role', 'staff'], '');
    expect(noTty.status).toBe(64);
    expect(noTty.stderr).toContain('--password-stdin');
    expect(rig(['staff', 'token', 'nobody']).status).toBe(1);
  });
});
