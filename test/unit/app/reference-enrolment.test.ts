import { describe, expect, it } from 'vitest';
import { enrolReferences, openReferenceZip, type ReferenceFile } from '../../../controller/src/app/reference-enrolment.ts';
import type { AuditEntry } from '../../../controller/src/app/ports/audit.ts';
import type { DescribeProblem, FaceDescriber, ReferenceFace, ReferenceFaceStore } from '../../../controller/src/app/ports/reference-faces.ts';
import { part, zip } from '../../security/hostile-files.ts';

/** A store of three students by 采集码, recording what is enrolled and audited. */
function fakeStore() {
  const students = new Map([['C0000001', 1], ['C0000002', 2], ['C0000003', 3]]);
  const enrolled: ReferenceFace[] = [];
  const audit: AuditEntry[] = [];
  const store: ReferenceFaceStore = {
    findByCode: async (code) => (students.has(code) ? { id: students.get(code)! } : null),
    enrol: async (r) => { enrolled.push(r); },
    audit: { append: async (entry) => audit.push(entry) },
  };
  return { store, enrolled, audit };
}

/** A face net that reads the photo's text: `face`, or a problem code, or `boom` (the engine fails). */
const faces: FaceDescriber = {
  model: 'fake-net',
  describe: async (photo) => {
    const text = photo.toString();
    if (text === 'boom') throw new Error('the engine failed');
    return text === 'face' ? new Float32Array(128).fill(0.5) : (text as DescribeProblem);
  },
};

const file = (name: string, text: string): ReferenceFile => ({ name, bytes: Buffer.from(text) });
const ctx = { actor: 'lin.office', origin: '10.0.0.7', source: 'batch.zip', now: () => new Date('2026-06-10T02:00:00Z') };

describe('enrolling reference photos', () => {
  it('enrols each named student with one face and skips the rest with their reasons, audited once', async () => {
    const { store, enrolled, audit } = fakeStore();
    const run = await enrolReferences(store, faces, [
      file('c0000001.JPG', 'face'), // the name is read as a scanned code: case and width do not matter
      file('NOBODY.jpg', 'face'),
      file('C0000002.png', 'photo.face.several'),
      { name: 'C0000003.jpg', problem: { code: 'staff.identity_reference_damaged' } },
    ], ctx);
    expect(run).toEqual({
      enrolled: ['c0000001.JPG'],
      skipped: [
        { file: 'NOBODY.jpg', code: 'kiosk.identify.unknown_code' },
        { file: 'C0000002.png', code: 'photo.face.several' },
        { file: 'C0000003.jpg', code: 'staff.identity_reference_damaged' },
      ],
      cancelled: false,
    });
    expect(enrolled).toMatchObject([{ studentId: 1, model: 'fake-net', source: 'c0000001.JPG', by: 'lin.office' }]);
    expect(audit).toEqual([{ actor: 'lin.office', origin: '10.0.0.7', action: 'faces.enroll', target: 'batch.zip', details: { enrolled: 1, skipped: 3 } }]);
  });

  it('skips a photo over the per-photo limit without describing it', async () => {
    const { store, enrolled } = fakeStore();
    const run = await enrolReferences(store, faces, [{ name: 'C0000001.jpg', bytes: Buffer.alloc(20 * 1024 * 1024 + 1) }], ctx);
    expect(run.skipped).toEqual([{ file: 'C0000001.jpg', code: 'staff.identity_reference_too_large', params: { max: 20 } }]);
    expect(enrolled).toEqual([]);
  });

  it('still audits what was enrolled when the face net fails midway, and passes the failure on', async () => {
    const { store, enrolled, audit } = fakeStore();
    await expect(enrolReferences(store, faces, [file('C0000001.jpg', 'face'), file('C0000002.jpg', 'boom'), file('C0000003.jpg', 'face')], ctx))
      .rejects.toThrow('the engine failed');
    expect(enrolled.map((r) => r.studentId)).toEqual([1]);
    expect(audit.map((a) => a.details)).toEqual([{ enrolled: 1, skipped: 0 }]);
  });

  it('takes no further file once the caller has hung up', async () => {
    const { store, enrolled, audit } = fakeStore();
    const hangUp = new AbortController();
    async function* files(): AsyncGenerator<ReferenceFile> {
      yield file('C0000001.jpg', 'face');
      hangUp.abort();
      yield file('C0000002.jpg', 'face');
    }
    const run = await enrolReferences(store, faces, files(), { ...ctx, signal: hangUp.signal });
    expect(run).toMatchObject({ enrolled: ['C0000001.jpg'], cancelled: true });
    expect(enrolled).toHaveLength(1);
    expect(audit.map((a) => a.details)).toEqual([{ enrolled: 1, skipped: 0, cancelled: true }]);
  });
});

describe('the photos of a ZIP', () => {
  it('are its JPEG and PNG entries under their bare file names; other and hidden files are left out', async () => {
    const opened = openReferenceZip(zip([
      part('../../etc/C0000001.jpg', 'face'),
      part('photos\\C0000002.PNG', 'face'),
      part('readme.txt', 'x'),
      part('__MACOSX/photos/._C0000001.jpg', 'x'),
      part('photos/', ''),
    ]));
    if (!opened.ok) throw new Error(`refused: ${opened.code}`);
    expect(opened.photos).toBe(2);
    const names: string[] = [];
    for await (const f of opened.files) names.push(f.name);
    expect(names).toEqual(['C0000001.jpg', 'C0000002.PNG']);
  });

  it('are refused as a whole when the archive cannot be read or declares more than the limits', () => {
    expect(openReferenceZip(Buffer.from('PK\x03\x04 but nothing after', 'latin1'))).toMatchObject({ ok: false, code: 'staff.identity_reference_unreadable' });
    const declared = { ...part('C0000001.jpg', 'face'), declaredSize: 1024 * 1024 * 1024 + 1 };
    expect(openReferenceZip(zip([declared]))).toMatchObject({ ok: false, code: 'staff.identity_reference_refused', details: { limit: 'roster.file.zip_too_large' } });
  });
});
