/**
 * The office's routes: roster search, progress by department and class, make-up certificates,
 * retake overrides (audited with their reason) and roster upload through the roster importer.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { maskIdNumber } from '../../domain/roster/id-number.ts';
import { appendAudit } from '../../store/audit-log.ts';
import {
  classesWithSlots, failedAttempts, searchStudents, studentByIdNumber, supersedeAcceptedPhotos,
} from '../../store/staff/office.ts';
import { dayNumber, wallClock } from '../../domain/local-time.ts';
import { parseCertificate } from '../../domain/schedule-input.ts';
import { checkInReport } from '../../domain/check-in-report.ts';
import { CaptureRepository } from '../../store/capture-repository.ts';
import { SqlStudentDirectory } from '../../store/student-lookup.ts';
import { ScheduleEligibilityPolicy } from '../../app/kiosk/eligibility-policy.ts';
import { sqlScheduleSource } from '../../store/schedule-loader.ts';
import { certificateCapture, insertCertificate, listCertificates } from '../../store/certificate-repository.ts';
import { isoDate } from './batches.ts';
import type { StaffContext } from './context.ts';
import { sendError, sendFieldErrors } from './errors.ts';
import { openHoldsByIdNumber } from '../../store/identity-repository.ts';

const office = { access: { roles: ['admin', 'staff'] as const } };
const IdNumber = Type.String({ pattern: '^\\d{17}[\\dXx]$' });

export function officeRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get('/api/students', {
      config: office,
      schema: { querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 64 }), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }) },
    }, async (req) => ({ students: await searchStudents(ctx.db, req.query.q.normalize('NFKC').trim(), req.query.limit) }));

    // What the kiosk would answer this student now (or at `at`), in this room: the reason and the slot or window.
    r.get('/api/students/:idNumber/check-in', {
      config: office,
      schema: {
        params: Type.Object({ idNumber: IdNumber }),
        querystring: Type.Object({ at: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$' })), room: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
      },
    }, async (req, reply) => {
      const student = await new SqlStudentDirectory(ctx.db).findByCode(req.params.idNumber.toUpperCase());
      if (!student) return sendError(req, reply, 'staff.student_not_found');
      const at = req.query.at === undefined ? ctx.now() : new Date(req.query.at);
      if (Number.isNaN(at.getTime())) return sendError(req, reply, 'staff.bad_request', { parameter: 'at' });
      const room = req.query.room ?? null;
      const policy = new ScheduleEligibilityPolicy(sqlScheduleSource(ctx.db, ctx.timeZone), new CaptureRepository(ctx.db, ctx.dataDir), room);
      return { checkIn: checkInReport(await policy.explain(student, at), student, at, room) };
    });

    r.get('/api/progress', {
      config: office,
      schema: { querystring: Type.Object({ date: Type.String({ pattern: isoDate }) }) },
    }, async (req) => {
      const { date } = req.query;
      const captured = new Set((await ctx.photos.list({ date })).map((p) => p.student.idNumber));
      const clock = wallClock(ctx.now(), ctx.timeZone);
      const today = clock.date;
      const nowHm = `${String(Math.floor(clock.secondOfDay / 3600)).padStart(2, '0')}:${String(Math.floor(clock.secondOfDay / 60) % 60).padStart(2, '0')}`;
      const failed = await failedAttempts(ctx.db, ...dayBounds(date, ctx.timeZone));
      const held = await openHoldsByIdNumber(ctx.db, date);
      const classes = (await classesWithSlots(ctx.db, date)).map((c) => {
        const done = c.idNumbers.filter((id) => captured.has(id)).length;
        const slotOver = c.slotEnd !== null && (date < today || (date === today && nowHm >= c.slotEnd));
        return {
          department: c.department,
          className: c.className,
          total: c.idNumbers.length,
          captured: done,
          pending: c.idNumbers.length - done,
          failedAttempts: c.idNumbers.reduce((n, id) => n + (failed.get(id) ?? 0), 0),
          /** students whose photo waits for staff (identity checks) */
          held: c.idNumbers.filter((id) => held.has(id)).length,
          absent: slotOver ? c.idNumbers.length - done : 0,
          slotEnd: c.slotEnd,
        };
      });
      return { date, classes };
    });

    const Certificate = Type.Object({
      idNumber: IdNumber,
      name: Type.String({ minLength: 1, maxLength: 50 }),
      schoolCode: Type.String({ pattern: '^\\d{5}$' }),
      gender: Type.Union([Type.Literal('M'), Type.Literal('F')]),
      educationLevel: Type.String({ minLength: 1, maxLength: 20 }),
      schoolName: Type.String({ minLength: 1, maxLength: 100 }),
      contactAddress: Type.String({ minLength: 1, maxLength: 200 }),
      postcode: Type.String({ pattern: '^\\d{6}$' }),
      contactPerson: Type.String({ minLength: 1, maxLength: 50 }),
      contactPhone: Type.String({ pattern: '^[0-9+() -]{5,20}$' }),
    });

    r.post('/api/makeups', { config: office, schema: { body: Certificate } }, async (req, reply) => {
      const now = ctx.now();
      const b = req.body;
      // The same rules as `rig makeup cert add`, the ID number's full GB 11643 check among them.
      const parsed = parseCertificate({
        idNumber: b.idNumber, name: b.name, schoolCode: b.schoolCode, gender: b.gender, educationLevel: b.educationLevel, schoolName: b.schoolName,
        address: b.contactAddress, postcode: b.postcode, contactPerson: b.contactPerson, phone: b.contactPhone,
      }, wallClock(now, ctx.timeZone).date);
      if (!parsed.ok) {
        return sendFieldErrors(req, reply, parsed.errors);
      }
      const cert = parsed.value;
      const id = await ctx.db.transaction(async (tx) => {
        const stored = await insertCertificate(tx, { ...cert, issuedAt: now.toISOString(), issuedBy: req.staff!.name, revokedAt: null });
        await appendAudit(tx, { actor: req.staff!.name, origin: req.ip, action: 'makeup.cert.add', target: maskIdNumber(stored.idNumber), details: { certificate: stored.id } }, now);
        return stored.id;
      });
      return { id };
    });

    r.get('/api/makeups', { config: office }, async () => ({ certificates: (await listCertificates(ctx.db)).reverse() }));

    r.get('/api/makeups/:id', { config: office, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (req, reply) => {
      const c = (await listCertificates(ctx.db, { includeRevoked: true })).find((x) => x.id === req.params.id);
      return c ? { certificate: c, capture: await certificateCapture(ctx.db, c.id) } : sendError(req, reply, 'staff.not_found');
    });

    r.post('/api/overrides', {
      config: office,
      schema: { body: Type.Object({ idNumber: IdNumber, reason: Type.String({ minLength: 2, maxLength: 500 }) }) },
    }, async (req, reply) => {
      const student = await studentByIdNumber(ctx.db, req.body.idNumber.toUpperCase());
      if (!student) return sendError(req, reply, 'staff.student_not_found');
      const now = ctx.now();
      const superseded = await ctx.db.transaction(async (tx) => {
        const n = await supersedeAcceptedPhotos(tx, student.id, now);
        if (n > 0) {
          await appendAudit(tx, {
            actor: req.staff!.name, origin: req.ip, action: 'capture.override', target: maskIdNumber(student.idNumber),
            details: { reason: req.body.reason, superseded: n },
          }, now);
        }
        return n;
      });
      if (superseded === 0) return sendError(req, reply, 'staff.override_not_needed');
      return { superseded };
    });

    // Roster files arrive as the raw body (XLSX or CSV); the importer decides what they are.
    app.addContentTypeParser(
      ['application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      { parseAs: 'buffer', bodyLimit: 32 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    r.post('/api/rosters', {
      config: office,
      bodyLimit: 32 * 1024 * 1024,
      schema: { querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), dryRun: Type.Boolean({ default: false }) }) },
    }, async (req, reply) => {
      if (!ctx.importRoster) return sendError(req, reply, 'staff.unavailable');
      if (!Buffer.isBuffer(req.body)) return sendError(req, reply, 'staff.bad_request', null, { detail: 'file body' });
      const now = ctx.now();
      // A client that hangs up mid-read cancels the work: its worker is terminated at once.
      const cancel = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableFinished) cancel.abort();
      };
      reply.raw.on('close', onClose);
      const report = await ctx.importRoster({ name: req.query.name, bytes: req.body }, {
        dryRun: req.query.dryRun, actor: req.staff!.name, origin: req.ip, signal: cancel.signal,
      });
      if (report.refused === 'roster.file.cancelled') return reply.code(499).send();
      // A completed import is audited by the importer, inside its transaction; checks and refusals here.
      if (req.query.dryRun || report.errors.length) {
        await appendAudit(ctx.db, {
          actor: req.staff!.name, origin: req.ip, action: req.query.dryRun ? 'roster.check' : 'roster.rejected', target: req.query.name,
          details: {
            added: report.added, updated: report.updated, unchanged: report.unchanged, errors: report.errors.length + (report.errorsOmitted ?? 0),
            ...(report.refused ? { refused: report.refused } : {}),
          },
        }, now);
      }
      // A reading limit refuses the file as a whole (413), with the limit's reason code in the details.
      if (report.refused) return sendError(req, reply, 'staff.roster_refused', report);
      // The row-level report is the details of the error: every bad row, its column and reason.
      if (report.errors.length) return sendError(req, reply, 'staff.roster_rejected', report);
      return report;
    });
  };
}

/** The UTC instants where a local date begins and ends (zones without daylight saving, as the schedule assumes). */
function dayBounds(date: string, timeZone: string): [Date, Date] {
  const utcMidnight = new Date(`${date}T00:00:00Z`);
  const offsetMs = (wallClock(utcMidnight, timeZone).position - dayNumber(date) * 86_400) * 1000;
  const from = new Date(utcMidnight.getTime() - offsetMs);
  return [from, new Date(from.getTime() + 86_400_000)];
}
