import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../controller/src/cli/program.ts';
import { GENERATED_DIR } from '../fixtures/generate.ts';
import { PROJECT_ROOT } from '../fixtures/subject.ts';

const out = mkdtempSync(join(tmpdir(), 'rig-validate-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** `rig validate` in this process (a cold start loads tsx and the models each time), capturing stdout. */
async function rig(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const before = process.exitCode;
  try {
    await buildProgram().parseAsync(['node', 'rig', 'validate', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout };
  } finally {
    spy.mockRestore();
    process.exitCode = before;
  }
}

/** The real executable, for what only a process shows: its exit status. */
function rigProcess(...args: string[]) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'rig.js'), 'validate', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const photo = (name: string) => join(GENERATED_DIR, `${name}.jpg`);

type JsonResult = {
  file: string;
  verdict: string;
  checks: Array<{ id: string; passed: boolean; value: unknown; limit: string; reason: string; message: { zh: string; en: string } }>;
  timings: Record<string, number>;
  deliverable: { sha256: string; file: string | null } | null;
  error?: { code: string };
};

describe('rig validate', () => {
  it('exits 0 when every file passes and writes the deliverables with --out', async () => {
    const ok = await rig(photo('compliant-blue'), '--out', out);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('PASS');
    expect(readdirSync(out)).toEqual(['compliant-blue.jpg']); // no temporary file left behind
  });
  it('exits 1 when a file fails and prints the reasons in both languages', async () => {
    const r = await rig(photo('roll-15'), photo('compliant-blue'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('photo.pose.tilt');
    expect(r.stdout).toContain('请把头摆正');
    expect(r.stdout).toContain('do not tilt');
  });
  it('exits 2 when a file cannot be read, still processing the others, and prints one JSON array', () => {
    const r = rigProcess(photo('compliant-blue'), join(out, 'missing.jpg'), photo('bad-garbage'), photo('roll-15'), '--json');
    expect(r.code).toBe(2);
    const results = JSON.parse(r.stdout) as JsonResult[];
    expect(results.map((x) => x.verdict)).toEqual(['pass', 'error', 'error', 'fail']);
    expect(results[0]!.checks.length).toBeGreaterThan(15);
    expect(results[0]!.checks[0]).toHaveProperty('limit');
    expect(results[0]!.deliverable!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(results[0]!.deliverable!.file).toBeNull(); // no --out
    expect(results[1]!.error!.code).toBe('photo.input.missing');
    expect(results[2]!.error!.code).toBe('photo.input.unreadable');
    expect(results[3]!.checks.find((c) => c.id === 'pose.roll')?.reason).toBe('photo.pose.tilt');
  });
  it('refuses an unknown profile as a usage error', async () => {
    await expect(rig(photo('compliant-blue'), '--profile', 'nope')).rejects.toMatchObject({ exitCode: 64 });
  });
});
