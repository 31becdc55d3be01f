import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rigInProcess, rigProcess } from '../support/rig.ts';
import { GENERATED_DIR } from '../fixtures/generate.ts';

const out = mkdtempSync(join(tmpdir(), 'rig-validate-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const rig = (...args: string[]) => rigInProcess(['validate', ...args]);

const rigValidateProcess = (...args: string[]) => rigProcess(['validate', ...args]);
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
    const r = rigValidateProcess(photo('compliant-blue'), join(out, 'missing.jpg'), photo('bad-garbage'), photo('roll-15'), '--json');
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
  it('fails a photo with too few pixels (exit 1, a failed check, not an unreadable file), naming who fixes it', async () => {
    const r = await rig(photo('tiny'), '--json');
    expect(r.code).toBe(1);
    const [result] = JSON.parse(r.stdout) as Array<JsonResult & { checks: Array<{ audience?: string; cause?: string }> }>;
    expect(result!.verdict).toBe('fail');
    expect(result!.error).toBeUndefined();
    expect(result!.checks).toEqual([expect.objectContaining({ id: 'image.size', passed: false, value: '120x160', reason: 'photo.image.too_small', audience: 'technician', cause: 'camera' })]);
  });
  it('tells a frame too dark to read as the lights, for the technician', async () => {
    const r = await rig(photo('lights-off'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('photo.exposure.dark (technician: lights)');
    expect(r.stdout).not.toContain('photo.face.none');
  });
  it('refuses an unknown profile as a usage error', async () => {
    expect((await rig(photo('compliant-blue'), '--profile', 'nope')).code).toBe(64);
  });
});
