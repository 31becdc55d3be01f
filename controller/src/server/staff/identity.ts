/**
 * Captures held because the face matched another student's accepted photo (代拍/替考 checks): the
 * review list with both photos side by side, and the staff decision (audited). Accepted, the held
 * capture enters the archive with its day's next sequence number, as the kiosk would have stored it;
 * rejected, the student is photographed again (their session already ended at "see staff").
 * Reference photos (参考照片) are enrolled here too, as `rig faces enroll` does.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../store/audit-log.ts';
import { CaptureRepository } from '../../store/capture-repository.ts';
import sharp from 'sharp';
import { DESCRIPTOR_BYTES, decideHold, findHold, heldCapture, heldDeliverable, listHolds, referencePhoto, sqlReferenceFaces } from '../../store/identity-repository.ts';
import { enrolReferences, openReferenceZip, type ReferenceFile } from '../../app/reference-enrolment.ts';
import { isReferencePhotoName, REFERENCE_PHOTO_LIMITS, referenceFileName } from '../../domain/identity/reference-photos.ts';
import { message } from '../../domain/messages/index.ts';
import { maskIdNumbersIn } from '../../domain/roster/id-number.ts';
import { faceDescriber } from '../../imaging/index.ts';
import type { StaffContext } from './context.ts';
import { sendError, type StaffErrorCode } from './errors.ts';
import { uploadFileName } from './roster-upload.ts';

const office = { access: { roles: ['admin', 'staff'] as const } };
const HoldId = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

/** Content types a reference upload may come as; what it is is read from its first bytes. */
const REFERENCE_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream', 'image/jpeg', 'image/png'];
const ZIP_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];
const PHOTO_MAGIC = [Buffer.from([0xff, 0xd8, 0xff]), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
const startsWithAny = (body: Buffer, magic: Buffer[]) => magic.some((m) => body.subarray(0, m.length).equals(m));

type ReferenceUpload =
  | { ok: true; files: AsyncIterable<ReferenceFile> | Iterable<ReferenceFile> }
  | { ok: false; code: StaffErrorCode; details?: unknown };

/** A ZIP of photos, or one photo under the file name `name` (the code it names); anything else is refused. */
function referenceUpload(body: Buffer, name: string | undefined): ReferenceUpload {
  if (body.length === 0) return { ok: false, code: 'staff.identity_reference_empty' };
  if (startsWithAny(body, ZIP_MAGIC)) {
    const zip = openReferenceZip(body);
    if (!zip.ok) return zip;
    return zip.photos > 0 ? { ok: true, files: zip.files } : { ok: false, code: 'staff.identity_reference_empty' };
  }
  if (!startsWithAny(body, PHOTO_MAGIC)) return { ok: false, code: 'staff.identity_reference_unreadable' };
  const file = referenceFileName(name ?? '');
  if (!isReferencePhotoName(file)) return { ok: false, code: 'staff.identity_reference_unnamed' };
  return { ok: true, files: [{ name: file, bytes: body }] };
}

export function identityRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    // Each entry names the held photo (`/api/identity/holds/:id/photo`) and the matched accepted
    // photos (`/api/photos/:date/:sequence/file`), for the side-by-side view.
    r.get('/api/identity/holds', {
      config: office,
      schema: { querystring: Type.Object({ open: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) },
    }, async (req) => ({ holds: await listHolds(ctx.db, req.query.open === undefined ? {} : { open: req.query.open }) }));

    r.get('/api/identity/holds/:id/photo', { config: office, schema: { params: HoldId } }, async (req, reply) => {
      const jpeg = await heldDeliverable(ctx.db, req.params.id);
      if (!jpeg) return sendError(req, reply, 'staff.identity_hold_not_found', { id: req.params.id });
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(jpeg);
    });

    // The held student's enrolled reference photo (`rig faces enroll`), beside a 'reference' hold.
    r.get('/api/identity/holds/:id/reference', { config: office, schema: { params: HoldId } }, async (req, reply) => {
      const hold = await findHold(ctx.db, req.params.id);
      const photo = hold ? await referencePhoto(ctx.db, hold.student.id) : undefined;
      if (!photo) return sendError(req, reply, 'staff.identity_hold_not_found', { id: req.params.id });
      return reply.type((await sharp(photo).metadata()).format === 'png' ? 'image/png' : 'image/jpeg').header('cache-control', 'private, no-store').send(photo);
    });

    // Reference photos as the raw body (limits: REFERENCE_PHOTO_LIMITS); answers once every file was
    // taken, one at a time, which may take minutes for a large ZIP.
    app.addContentTypeParser(REFERENCE_TYPES, { parseAs: 'buffer', bodyLimit: REFERENCE_PHOTO_LIMITS.uploadBytes }, (_req, body, done) => done(null, body));
    // One run at a time: the face net is heavy and shares the process with the kiosk.
    let enrolling = false;
    r.post('/api/identity/references', {
      config: office,
      bodyLimit: REFERENCE_PHOTO_LIMITS.uploadBytes,
      schema: { querystring: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }) },
    }, async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) return sendError(req, reply, req.body === undefined ? 'staff.identity_reference_empty' : 'staff.identity_reference_unreadable');
      const upload = referenceUpload(req.body, req.query.name);
      if (!upload.ok) return sendError(req, reply, upload.code, upload.details ?? null);
      if (enrolling) return sendError(req, reply, 'staff.identity_reference_busy');
      enrolling = true;
      // A client that hangs up stops the run after the photo in hand; what was done is audited.
      const cancel = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) cancel.abort();
      });
      try {
        const run = await enrolReferences(sqlReferenceFaces(ctx.db), faceDescriber, upload.files, {
          actor: req.staff!.name, origin: req.ip, now: ctx.now, signal: cancel.signal,
          source: req.query.name === undefined ? null : maskIdNumbersIn(uploadFileName(req.query.name)),
        });
        if (run.cancelled) return reply.code(499).send();
        return {
          enrolled: run.enrolled,
          skipped: run.skipped.map((s) => ({ file: s.file, code: s.code, message: { zh: message(s.code, 'zh', s.params), en: message(s.code, 'en', s.params) } })),
        };
      } finally {
        enrolling = false;
      }
    });

    r.post('/api/identity/holds/:id/decision', {
      config: office,
      schema: {
        params: HoldId,
        body: Type.Object({ decision: Type.Union([Type.Literal('accept'), Type.Literal('reject')]), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      },
    }, async (req, reply) => {
      const id = req.params.id;
      const held = await heldCapture(ctx.db, id);
      if (!held) return sendError(req, reply, 'staff.identity_hold_not_found', { id });
      const now = ctx.now();
      const note = req.body.note?.trim() || null;
      let photoId: number | null = null;
      if (req.body.decision === 'accept') {
        const s = await ctx.db.get<{ department: string; student_number: string }>('SELECT department, student_number FROM students WHERE id = ?', [held.studentId]);
        if (!s) return sendError(req, reply, 'staff.student_not_found');
        // A second decision on the same hold cannot store it twice: the attempt may be accepted once.
        const photo = await new CaptureRepository(ctx.db, ctx.dataDir).accept({
          attemptId: held.attemptId, studentId: held.studentId, day: held.day, schoolCode: held.schoolCode, department: s.department,
          studentNumber: s.student_number, codeText: held.codeText, original: held.original, deliverable: held.deliverable, acceptedAt: now,
          makeupCertificateId: held.makeupCertificateId,
          faceDescriptor: held.descriptor.length * 4 === DESCRIPTOR_BYTES ? { model: held.model, values: held.descriptor } : null,
        });
        photoId = photo.id;
      }
      const decision = req.body.decision === 'accept' ? 'accepted' : 'rejected';
      const outcome = await ctx.db.transaction(async (tx) => {
        if (!(await decideHold(tx, id, { decision, by: req.staff!.name, at: now, note, photoId }))) return null;
        await appendAudit(tx, {
          actor: req.staff!.name, origin: req.ip, action: `identity.hold.${req.body.decision}`, target: `identity_hold:${id}`,
          details: { studentId: held.studentId, photoId, note },
        }, now);
        return findHold(tx, id);
      });
      if (!outcome) return sendError(req, reply, 'staff.identity_hold_not_found', { id });
      return { hold: outcome };
    });
  };
}
