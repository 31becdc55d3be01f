import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED_DIR } from '../fixtures/generate.ts';
import { PROJECT_ROOT } from '../fixtures/subject.ts';

const out = mkdtempSync(join(tmpdir(), 'rig-validate-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function rig(...args: string[]) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'rig.js'), 'validate', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const photo = (name: string) => join(GENERATED_DIR, `${name}.jpg`);

describe('rig validate', () => {
  it('exits 0 when every file passes and writes the deliverables with --out', () => {
    const ok = rig(photo('compliant-blue'), '--out', out);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('PASS');
    expect(readdirSync(out)).toContain('compliant-blue.jpg');
  });
  it('exits 1 when a file fails and prints the reasons', () => {
    const r = rig(photo('roll-15'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('photo.pose.tilt');
    expect(r.stdout).toContain('请把头摆正');
  });
  it('exits 2 when a file cannot be read, still processing the others, and prints one JSON array', () => {
    const r = rig(photo('compliant-blue'), join(out, 'missing.jpg'), photo('bad-garbage'), '--json');
    expect(r.code).toBe(2);
    const results = JSON.parse(r.stdout) as Array<{ file: string; verdict: string; checks: Array<{ id: string; passed: boolean; value: unknown; limit: string; reason: string; message: { zh: string; en: string } }>; timings: Record<string, number>; deliverable: { sha256: string } | null; error?: { code: string } }>;
    expect(results.map((x) => x.verdict)).toEqual(['pass', 'error', 'error']);
    expect(results[0]!.checks.length).toBeGreaterThan(15);
    expect(results[0]!.checks[0]).toHaveProperty('limit');
    expect(results[0]!.deliverable!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(results[1]!.error!.code).toBe('photo.input.missing');
    expect(results[2]!.error!.code).toBe('photo.input.unreadable');
  });
  it('refuses an unknown profile with a usage error', () => {
    expect(rig(photo('compliant-blue'), '--profile', 'nope').code).toBe(64);
  });
});
