import { describe, expect, it } from 'vitest';
import { assessRoom, doctorExitCode, diskFailBelowBytes, type DoctorFacts } from '../../../controller/src/domain/doctor.ts';
import { isMessageCode, messages } from '../../../controller/src/domain/messages/index.ts';
import { parseAutoDetect } from '../../../controller/src/cli/doctor/probes.ts';

const now = new Date('2026-06-10T02:00:00Z');
const healthy: DoctorFacts = {
  camera: { driver: 'gphoto2', gphoto2Version: '2.5.28', detected: ['Canon EOS 600D usb:001,004'] },
  board: { driver: 'board', configured: '/dev/rig-board', access: 'ok', candidates: ['/dev/rig-board'] },
  chromium: { version: 'Chromium 120' },
  disk: { folder: '/var/lib/rig', freeBytes: 100 * 1024 ** 3 },
  clock: { now, synchronized: true, systemTimeZone: 'Asia/Shanghai', configTimeZone: 'Asia/Shanghai' },
  kiosk: { port: 8080, probe: 'rig' },
  staff: { host: '0.0.0.0', port: 8443, probe: 'rig' },
  tls: { configured: true, notAfter: new Date('2027-01-01T00:00:00Z'), unreadable: false },
};

const part = (facts: DoctorFacts, name: string) => assessRoom(facts).find((c) => c.part === name);

describe('rig doctor judgement', () => {
  it('passes a healthy room with every check ok and exit 0', () => {
    const checks = assessRoom(healthy);
    expect(checks.map((c) => c.status)).toEqual(checks.map(() => 'ok'));
    expect(doctorExitCode(checks)).toBe(0);
  });

  it('blocks on a missing camera only when the configuration insists on a real one', () => {
    expect(part({ ...healthy, camera: { ...healthy.camera, detected: [] } }, 'camera')).toMatchObject({ status: 'fail', code: 'doctor.camera.none', fix: 'doctor.camera.none.fix' });
    expect(part({ ...healthy, camera: { ...healthy.camera, driver: 'auto', detected: [] } }, 'camera')?.status).toBe('warn');
  });

  it('blocks on a board port the service may not open', () => {
    const checks = assessRoom({ ...healthy, board: { ...healthy.board, access: 'denied' } });
    expect(checks.find((c) => c.part === 'board')?.code).toBe('doctor.board.denied');
    expect(doctorExitCode(checks)).toBe(1);
  });

  it('blocks below a day of disk space and warns below the margin', () => {
    expect(part({ ...healthy, disk: { ...healthy.disk, freeBytes: diskFailBelowBytes - 1 } }, 'disk')?.status).toBe('fail');
    expect(part({ ...healthy, disk: { ...healthy.disk, freeBytes: diskFailBelowBytes + 1 } }, 'disk')?.status).toBe('warn');
  });

  it('tells an expired certificate from one about to expire', () => {
    expect(part({ ...healthy, tls: { ...healthy.tls, notAfter: new Date('2026-06-01T00:00:00Z') } }, 'tls')).toMatchObject({ status: 'fail', code: 'doctor.tls.expired' });
    expect(part({ ...healthy, tls: { ...healthy.tls, notAfter: new Date('2026-06-20T00:00:00Z') } }, 'tls')).toMatchObject({ status: 'warn', code: 'doctor.tls.expiring', params: { days: 9 } });
  });

  it('blocks on a reset clock and on a kiosk port taken by another program', () => {
    expect(part({ ...healthy, clock: { ...healthy.clock, now: new Date('1970-01-02T00:00:00Z') } }, 'clock')?.status).toBe('fail');
    expect(part({ ...healthy, kiosk: { port: 8080, probe: 'other' } }, 'kiosk-listener')).toMatchObject({ status: 'fail', code: 'doctor.listener.taken' });
  });

  it('has a text in both languages for every finding and every fix it can give', () => {
    const variants: DoctorFacts[] = [
      healthy,
      { ...healthy, camera: { driver: 'simulated', gphoto2Version: null, detected: [] }, board: { driver: 'simulated', configured: null, access: null, candidates: [] } },
      { ...healthy, camera: { driver: 'gphoto2', gphoto2Version: null, detected: [] }, board: { ...healthy.board, access: 'missing' } },
      { ...healthy, camera: { ...healthy.camera, detected: [] }, board: { driver: 'board', configured: null, access: null, candidates: [] }, chromium: { version: null } },
      { ...healthy, camera: { ...healthy.camera, detected: ['a usb:1', 'b usb:2'] }, board: { driver: 'auto', configured: null, access: null, candidates: ['/dev/ttyACM0'] } },
      { ...healthy, disk: { folder: '/x', freeBytes: null }, clock: { ...healthy.clock, synchronized: false, systemTimeZone: 'UTC' }, tls: { configured: true, notAfter: null, unreadable: true } },
      { ...healthy, disk: { folder: '/x', freeBytes: 1 }, clock: { ...healthy.clock, synchronized: null }, kiosk: { port: 0, probe: 'free' }, staff: { host: '0.0.0.0', port: 8443, probe: 'unknown' }, tls: { configured: false, notAfter: null, unreadable: false } },
      { ...healthy, staff: { host: '127.0.0.1', port: 8443, probe: 'free' }, tls: { configured: false, notAfter: null, unreadable: false } },
    ];
    const checks = variants.flatMap((v) => assessRoom(v));
    for (const c of checks.filter((x) => x.status !== 'ok')) expect(c.fix, c.code).not.toBeNull();
    const codes = new Set<string>(checks.flatMap((c) => [c.code, ...(c.fix ? [c.fix] : [])]));
    expect(codes.size).toBeGreaterThan(40);
    for (const code of codes) {
      expect(isMessageCode(code), code).toBe(true);
      if (isMessageCode(code)) expect(messages[code].zh && messages[code].en, code).toBeTruthy();
    }
  });
});

describe('gphoto2 --auto-detect output', () => {
  it('lists the cameras below the header', () => {
    const text = 'Model                          Port\n----------------------------------------------------------\nCanon EOS 600D                 usb:001,004\n';
    expect(parseAutoDetect(text)).toEqual(['Canon EOS 600D usb:001,004']);
    expect(parseAutoDetect('Model   Port\n-------------------------\n')).toEqual([]);
  });
});
