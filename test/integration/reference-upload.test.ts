/**
 * Reference photos enrolled from the dashboard's route (`POST /api/identity/references`) against a
 * real staff app, a real SQLite store and the real face net: a ZIP of photos named by ID number or
 * 采集码 enrols the one good face and skips the rest with their reasons, audited under the staff
 * user; hostile or wrong uploads get a coded 4xx and enrol nothing.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { message } from '../../controller/src/domain/messages/index.ts';
import { REFERENCE_PHOTO_LIMITS } from '../../controller/src/domain/identity/reference-photos.ts';
import { portraitAsShot } from '../fixtures/portraits.ts';
import { sharedFixtures } from '../support/paths.ts';
import { part, zip } from '../security/hostile-files.ts';
import { addUser, insertStudents, student, tempData, type TempData } from '../staff/helpers.ts';

let data: TempData;
let staff: StaffApp;
let office: string;
let technician: string;
let portrait: Buffer;

beforeAll(async () => {
  data = await tempData();
  office = await addUser(data.db, 'lin.office', 'staff');
  technician = await addUser(data.db, 'tech', 'technician');
  await insertStudents(data.db, [1, 2, 3, 4, 5].map((n) => student(n)));
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]) });
  portrait = await portraitAsShot('collins');
});
afterAll(async () => {
  await staff?.app.close();
  await data?.cleanup();
});

type Enrolment = { enrolled: string[]; skipped: Array<{ file: string; code: string; message: { zh: string; en: string } }> };

function upload(body: Buffer, opts: { name?: string; type?: string; token?: string; headers?: Record<string, string> } = {}) {
  return staff.app.inject({
    method: 'POST',
    url: `/api/identity/references${opts.name === undefined ? '' : `?name=${encodeURIComponent(opts.name)}`}`,
    headers: { authorization: `Bearer ${opts.token ?? office}`, 'content-type': opts.type ?? 'application/zip', ...opts.headers },
    payload: body,
  });
}

const references = () => data.db.all<{ student_id: number; source: string; enrolled_by: string }>('SELECT student_id, source, enrolled_by FROM reference_faces ORDER BY student_id');
const studentId = async (n: number) => (await data.db.get<{ id: number }>('SELECT id FROM students WHERE id_number = ?', [student(n).idNumber]))!.id;

describe('reference photos from the dashboard', { timeout: 120_000 }, () => {
  it('enrols the one good face of a ZIP and skips a file naming nobody and a photo without a face, audited', async () => {
    const idNumber = student(1).idNumber;
    const body = zip([
      // A path trick in the entry's name reaches no folder: only the file name counts.
      part(`../../admission/${idNumber}.jpg`, portrait),
      part('NOBODY123.jpg', portrait),
      part(`${student(2).collectionCode}.png`, readFileSync(join(sharedFixtures, 'no-face', 'chelsea.png'))),
      part('readme.txt', 'not a photo'),
      part(`__MACOSX/admission/._${idNumber}.jpg`, 'resource fork'),
    ]);
    const res = await upload(body, { name: 'admission.zip' });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json<Enrolment>();
    expect(answer.enrolled).toEqual([`${idNumber}.jpg`]);
    expect(answer.skipped).toEqual([
      { file: 'NOBODY123.jpg', code: 'kiosk.identify.unknown_code', message: { zh: message('kiosk.identify.unknown_code', 'zh'), en: message('kiosk.identify.unknown_code', 'en') } },
      { file: `${student(2).collectionCode}.png`, code: 'photo.face.none', message: { zh: message('photo.face.none', 'zh'), en: message('photo.face.none', 'en') } },
    ]);
    expect(await references()).toEqual([{ student_id: await studentId(1), source: `${idNumber}.jpg`, enrolled_by: 'lin.office' }]);
    const audit = await listAudit(data.db, { action: 'faces.enroll' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'lin.office', target: 'admission.zip', details: { enrolled: 1, skipped: 2 } });
  });

  it('enrols a single photo named by its 采集码, and masks an ID number used as the audit target', async () => {
    const one = await upload(portrait, { name: `${student(3).collectionCode}.jpg`, type: 'image/jpeg' });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json<Enrolment>()).toEqual({ enrolled: [`${student(3).collectionCode}.jpg`], skipped: [] });
    expect((await references()).map((r) => r.student_id)).toContain(await studentId(3));

    const byId = await upload(portrait, { name: `${student(4).idNumber}.jpg`, type: 'image/jpeg' });
    expect(byId.json<Enrolment>().enrolled).toEqual([`${student(4).idNumber}.jpg`]);
    const [latest] = await listAudit(data.db, { action: 'faces.enroll', limit: 1 });
    expect(latest!.target).not.toContain(student(4).idNumber);
    expect(latest!.target).toContain(student(4).idNumber.slice(-4));
  });

  it('refuses what is neither a ZIP nor a photo, an empty ZIP and an unnamed photo, each with its code', async () => {
    const before = await references();
    const cases: Array<[Buffer, { name?: string; type?: string }, string]> = [
      [Buffer.from('this is not a zip, and not a photo'), {}, 'staff.identity_reference_unreadable'],
      [Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]), { type: 'application/octet-stream' }, 'staff.identity_reference_unreadable'],
      [zip([]), {}, 'staff.identity_reference_empty'],
      [zip([part('list.csv', 'a,b')]), {}, 'staff.identity_reference_empty'],
      [Buffer.alloc(0), {}, 'staff.identity_reference_empty'],
      [portrait, { type: 'image/jpeg' }, 'staff.identity_reference_unnamed'],
      [portrait, { type: 'image/jpeg', name: 'notes.txt' }, 'staff.identity_reference_unnamed'],
    ];
    for (const [body, opts, code] of cases) {
      const res = await upload(body, opts);
      expect(res.statusCode, code).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    expect(await references()).toEqual(before);
  });

  it('answers 413 to a body over the upload limit and to a ZIP that unpacks past its limit', async () => {
    const tooLong = await upload(Buffer.from('PK'), { headers: { 'content-length': String(REFERENCE_PHOTO_LIMITS.uploadBytes + 1) } });
    expect(tooLong.statusCode).toBe(413);
    expect(tooLong.json().error.code).toBe('staff.payload_too_large');

    const huge = await upload(zip([{ ...part(`${student(5).idNumber}.jpg`, portrait), declaredSize: REFERENCE_PHOTO_LIMITS.unpackedBytes + 1 }]));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toMatchObject({ code: 'staff.identity_reference_refused', details: { limit: 'roster.file.zip_too_large' } });
  });

  it('skips an entry that inflates past its declared size and one over the per-photo limit, inflating neither fully', async () => {
    const bomb = { ...part(`${student(5).idNumber}.jpg`, Buffer.alloc(5 * 1024 * 1024)), declaredSize: 1000 };
    // Random bytes do not compress: the declared size stays under the archive's ratio limit.
    const big = { ...part(`${student(5).collectionCode}.jpg`, randomBytes(300_000)), declaredSize: REFERENCE_PHOTO_LIMITS.photoBytes + 1 };
    const res = await upload(zip([bomb, big]));
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json<Enrolment>();
    expect(answer.enrolled).toEqual([]);
    expect(answer.skipped.map((s) => [s.file, s.code])).toEqual([
      [`${student(5).idNumber}.jpg`, 'staff.identity_reference_damaged'],
      [`${student(5).collectionCode}.jpg`, 'staff.identity_reference_too_large'],
    ]);
    expect(answer.skipped[1]!.message.en).toContain(`${REFERENCE_PHOTO_LIMITS.photoBytes / (1024 * 1024)} MB`);
  });

  it('refuses a role without access and a caller without credentials', async () => {
    const before = await references();
    const tech = await upload(zip([part(`${student(5).idNumber}.jpg`, portrait)]), { token: technician });
    expect(tech.statusCode).toBe(403);
    expect(tech.json().error.code).toBe('staff.forbidden');
    const anonymous = await staff.app.inject({ method: 'POST', url: '/api/identity/references', headers: { 'content-type': 'application/zip' }, payload: zip([]) });
    expect(anonymous.statusCode).toBe(401);
    expect(await references()).toEqual(before);
  });
});
