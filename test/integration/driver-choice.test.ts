/**
 * `camera.driver: auto` says which camera it chose and why, not only in the log: on the kiosk's
 * `GET /api/kiosk/state` and on the staff status page (the staff API and the dashboard page in real
 * Chromium). Real gphoto2 against the fake PTP/IP camera when one answers; the simulated camera,
 * with the reason, when nothing answers on the configured port.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevicesReport } from '../../controller/src/app/ports/device.ts';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import type { PtpipCamera } from '../peers/ptpip-camera.ts';
import { launchChromium } from '../support/browser.ts';
import { gphoto2Children, gphoto2Env, ptpipPort, startFakeCamera } from '../support/fake-camera.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { projectRoot } from '../support/paths.ts';
import { addUser } from '../staff/helpers.ts';

/** A loopback port nobody listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('camera.driver auto with a camera answering (gphoto2 against the fake PTP/IP camera)', () => {
  let fake: PtpipCamera;
  let k: TestKiosk;
  let staff: StaffApp;
  let staffUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    fake = await startFakeCamera();
    k = await startTestKiosk({ camera: { config: { driver: 'auto', port: ptpipPort(fake) }, env: await gphoto2Env() } });
    staff = await buildStaffApp({
      db: k.runtime.db, dataDir: k.dataDir, photos: new ListPhotoSource([]), uiDir: join(projectRoot, 'kiosk-ui', 'dist'),
      devices: () => k.runtime.devices(),
    });
    staffUrl = await staff.app.listen({ host: '127.0.0.1', port: 0 });
    await addUser(k.runtime.db, 'wang.tech', 'technician', 'tech-password');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await staff?.app.close();
    await k?.close();
    await fake?.close();
    expect(await gphoto2Children()).toEqual([]);
  });

  it('GET /api/kiosk/state names the real camera and why auto chose it, and the simulated rig', async () => {
    const { body } = await k.api('GET', '/api/kiosk/state');
    expect(body.drivers).toEqual({
      camera: { driver: 'gphoto2', simulated: false, reason: `camera answered on ${ptpipPort(fake)}` },
      rig: { driver: 'simulated', simulated: true, reason: 'configured' },
    });
  });

  it('the staff API reports the same choice with the camera status and model, to a signed-in technician only', async () => {
    expect((await staff.app.inject({ url: '/api/devices' })).statusCode).toBe(401);
    const login = await staff.app.inject({ method: 'POST', url: '/api/session', payload: { name: 'wang.tech', password: 'tech-password' } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await staff.app.inject({ url: '/api/devices', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const { devices } = res.json<{ devices: DevicesReport }>();
    expect(devices.camera).toEqual({ driver: 'gphoto2', simulated: false, reason: `camera answered on ${ptpipPort(fake)}`, status: 'connected', model: 'Fake PTP/IP Camera' });
    expect(devices.rig).toMatchObject({ driver: 'simulated', simulated: true, ready: true, reasons: [] });
  });

  it('the staff status page in Chromium shows the real camera, the simulated rig and the reasons', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    try {
      await page.goto(staffUrl);
      await page.fill('input[name=name]', 'wang.tech');
      await page.fill('input[name=password]', 'tech-password');
      await page.click('button[type=submit]');
      // A technician lands on calibration; the status page is one of their pages.
      const link = page.locator('nav a[href="#devices"]');
      await link.waitFor();
      expect(await link.textContent()).toBe('设备状态');
      await link.click();
      const table = page.getByTestId('devices');
      await table.waitFor();
      const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      expect(rows).toHaveLength(2);
      expect(rows[0]).toEqual(['相机', 'gphoto2 (真实设备)', `camera answered on ${ptpipPort(fake)}`, '已连接 · Fake PTP/IP Camera']);
      expect(rows[1]?.slice(0, 3)).toEqual(['灯光与传感器', 'simulated (模拟设备（演示）)', 'configured']);
      expect(await table.locator('[data-driver="gphoto2"]').getAttribute('data-simulated')).toBe('false');
    } finally {
      await page.close();
    }
  });
});

describe('camera.driver auto with nothing answering on the configured port', () => {
  let k: TestKiosk;
  let port: string;
  beforeAll(async () => {
    const p = await deadPort();
    port = `ptpip:127.0.0.1:${p}:${p}`;
    k = await startTestKiosk({ camera: { config: { driver: 'auto', port }, env: await gphoto2Env() } });
  });
  afterAll(async () => {
    await k?.close();
  });

  it('falls back to the simulated camera and says why on the kiosk state and in the devices report', async () => {
    const { body } = await k.api('GET', '/api/kiosk/state');
    const camera = { driver: 'simulated', simulated: true, reason: `no camera answered on ${port} (camera.not_found)` };
    expect(body.drivers.camera).toEqual(camera);
    expect(k.runtime.devices().camera).toEqual({ ...camera, status: 'connected', model: 'Simulated camera (demo subject)' });
    expect(await gphoto2Children()).toEqual([]);
  });
});
