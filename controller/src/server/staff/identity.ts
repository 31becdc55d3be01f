/**
 * Captures held because the face matched another student's accepted photo (代拍/替考 checks): the
 * review list with both photos side by side, and the staff decision (audited). Accepted, the held
 * capture enters the archive with its day's next sequence number, as the kiosk would have stored it;
 * rejected, the student is photographed again (their session already ended at "see staff").
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../store/audit-log.ts';
import { CaptureRepository } from '../../store/capture-repository.ts';
import sharp from 'sharp';
import { DESCRIPTOR_BYTES, decideHold, findHold, heldCapture, heldDeliverable, listHolds, referencePhoto } from '../../store/identity-repository.ts';
import type { StaffContext } from './context.ts';
import { sendError } from './errors.ts';

const office = { access: { roles: ['admin', 'staff'] as const } };
const HoldId = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

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
