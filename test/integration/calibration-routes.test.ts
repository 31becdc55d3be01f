/**
 * Calibration through the staff listener's routes, on the kiosk runtime with the virtual board and
 * the simulated camera lit by its room: auto-calibration from a badly set room converges, the room
 * is saved and activated (audited), the morning check passes, and after a lamp ages it names it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { calibrationRoutes } from '../../controller/src/server/staff/calibration.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { testRigSettings, until } from '../support/rig-targets.ts';
import { addUser } from '../staff/helpers.ts';

let k: TestKiosk;
let staff: StaffApp;
let tech: Record<string, string>;
let office: Record<string, string>;

beforeAll(async () => {
  k = await startTestKiosk({ rigConfig: { ...testRigSettings, driver: 'simulated' } });
  tech = { authorization: `Bearer ${await addUser(k.runtime.db, 'wang.tech', 'technician')}` };
  office = { authorization: `Bearer ${await addUser(k.runtime.db, 'li.office', 'staff')}` };
  staff = await buildStaffApp({
    db: k.runtime.db, dataDir: k.dataDir, photos: new SqlPhotoSource(k.runtime.db, '10000'),
    plugins: [calibrationRoutes({ calibration: k.runtime.calibration, camera: k.runtime.camera, rig: k.runtime.rigPort })],
  });
}, 120_000);
afterAll(async () => {
  await staff?.app.close();
  await k?.close();
});

const post = (url: string, payload: unknown = {}, headers = tech) => staff.app.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string, headers = tech) => staff.app.inject({ url, headers });

describe('calibration on the staff listener', () => {
  it('is the technicians\' page: office staff and strangers are refused', async () => {
    expect((await get('/api/calibration/room', office)).statusCode).toBe(403);
    expect((await staff.app.inject({ url: '/api/calibration/room' })).statusCode).toBe(401);
    const room = (await get('/api/calibration/room')).json();
    expect(room).toMatchObject({ simulated: true, readiness: { door: 'closed' } });
    expect(room.subjectLux).toBeGreaterThan(0);
    const frame = await get('/api/calibration/preview.jpg');
    expect(frame.headers['content-type']).toBe('image/jpeg');
    expect(frame.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('shows a test shot with its figures, plots and the validator\'s checks', async () => {
    const r = await post('/api/calibration/shot');
    expect(r.statusCode).toBe(200);
    const shot = r.json();
    expect(shot.figures.histogram).toHaveLength(64);
    expect(shot.figures.background.cells).toHaveLength(8);
    expect(shot.figures.face.placedBy).toBe('validator');
    expect(shot.validation.checks.length).toBeGreaterThan(5);
    expect(shot.plots.heatmap).toMatch(/^data:image\/svg\+xml/);
    expect((await get('/api/calibration/shot.jpg')).headers['content-type']).toBe('image/jpeg');
  }, 60_000);

  it('auto-calibrates a badly set room, saves it, activates it (audited), and the morning check passes', async () => {
    expect((await post('/api/calibration/lights', { key: 10, fill: 10, background: 100 })).statusCode).toBe(200);
    const pending = post('/api/calibration/auto');
    // While it runs, the steps taken so far can be read (the page shows them as they come).
    let sawStep = false;
    let finished = false;
    pending.then(() => { finished = true; }, () => { finished = true; });
    while (!finished) {
      const p = (await get('/api/calibration/auto')).json();
      if (p.running && p.steps.length > 0) {
        expect(p.steps[0]).toMatchObject({ shot: 1, settings: { lights: { key: 10, fill: 10, background: 100 } } });
        sawStep = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const run = (await pending).json();
    expect(sawStep).toBe(true);
    expect((await get('/api/calibration/auto')).json()).toEqual({ running: false, steps: [] });
    expect(run.outcome.reason, JSON.stringify(run.steps.map((s: { targets: unknown }) => s.targets))).toBe('calibration.converged');
    expect(run.steps.length).toBeLessThanOrEqual(8);
    expect(run.message).toContain('校准完成');
    expect(run.progress).toMatch(/^data:image\/svg\+xml/);

    const saved = await post('/api/calibration/profiles', { name: '早班 morning' });
    expect(saved.statusCode).toBe(201);
    const id = saved.json().profile.id as number;
    expect((await post('/api/calibration/profiles', { name: '早班 morning' })).json().error.code).toBe('calibration.name_taken');
    const activated = await post(`/api/calibration/profiles/${id}/activate`);
    expect(activated.json().profile).toMatchObject({ id, active: true });
    const audit = await listAudit(k.runtime.db, {});
    expect(audit.find((a) => a.action === 'calibration.activate')).toMatchObject({ actor: 'wang.tech', target: `calibration_profile:${id}` });

    const check = (await post('/api/calibration/morning-check')).json();
    expect(check.drifts).toEqual([]);
    expect(check).toMatchObject({ passed: true, profile: { id } });
  }, 180_000);

  it('names the drifted lamp in the morning check after the key light ages', async () => {
    expect((await post('/api/calibration/simulated', { lampOutput: { key: 0.55 } })).statusCode).toBe(200);
    const check = (await post('/api/calibration/morning-check')).json();
    expect(check.passed).toBe(false);
    const channels = check.drifts.map((d: { channel: string }) => d.channel);
    expect(channels).toContain('key');
    expect(check.message).toContain('主光');
    const history = (await get('/api/calibration/profiles')).json();
    expect(history.checks.map((c: { passed: boolean }) => c.passed)).toEqual([false, true]);
    await post('/api/calibration/simulated', { lampOutput: { key: 1 } });
  }, 60_000);

  it('a drifted lamp turns readiness off, so a student cannot be shot, and back on once put right', async () => {
    const student = k.runtime.demoStudents[0]!;
    await k.api('POST', '/api/kiosk/scan', { code: student.collectionCode });
    await k.waitFor('confirm');
    await k.api('POST', '/api/kiosk/confirm');
    await k.api('POST', '/api/kiosk/confirm');
    await k.waitFor('pose');
    await post('/api/calibration/simulated', { lampOutput: { key: 0.55 } });
    await until(() => k.runtime.rig.readiness().reasons.includes('rig.lights_low') || undefined, 'readiness to see the dim key light');
    const refused = await k.api<{ error: { code: string; details: { reasons: string[] } } }>('POST', '/api/kiosk/capture');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'kiosk.rig.not_ready', details: { reasons: ['rig.lights_low'] } });
    await post('/api/calibration/simulated', { lampOutput: { key: 1 } });
    await until(() => k.runtime.rig.readiness().ready || undefined, 'readiness back once the lamp is put right');
    expect((await k.api('POST', '/api/kiosk/capture')).body.state).toBe('countdown');
    await k.waitFor('review');
    await k.api('POST', '/api/kiosk/cancel');
  }, 60_000);

  it('compares two profiles, differing settings first', async () => {
    await post('/api/calibration/lights', { key: 50 });
    await post('/api/calibration/shot');
    const second = (await post('/api/calibration/profiles', { name: 'dim key' })).json().profile.id as number;
    const { profiles } = (await get('/api/calibration/profiles')).json();
    const first = profiles.find((p: { name: string }) => p.name === '早班 morning').id as number;
    const cmp = (await get(`/api/calibration/compare?a=${first}&b=${second}`)).json();
    expect(cmp.rows[0].item).toBe('lights.key');
    expect(cmp.rows[0].b).toBe(50);
  }, 60_000);
});
