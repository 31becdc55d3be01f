/** Shoot slots and make-up windows from the dashboard: list, add (checked by the domain's parsers) and delete, audited. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { parseMakeupWindow, parseSlot } from '../../domain/schedule-input.ts';
import type { MakeupWindow, ShootSlot } from '../../domain/schedule.ts';
import { importMakeupWindows } from '../../app/schedule-import.ts';
import { appendAudit } from '../../store/audit-log.ts';
import {
  deleteMakeupWindow, deleteSlot, findMakeupWindow, findSlot, insertMakeupWindow, insertSlot, listMakeupWindows, listSlots,
  makeupCapturesInWindow, studentsCapturedInSlot,
  roomClash, sqlMakeupWindowStore, updateMakeupWindow, updateSlot,
} from '../../store/schedule-repository.ts';
import { isoDate } from './batches.ts';
import type { StaffContext } from './context.ts';
import { sendError, sendFieldErrors, wordedFieldErrors } from './errors.ts';

const office = { access: { roles: ['admin', 'staff'] as const } };
const Text = Type.Optional(Type.String({ maxLength: 100 }));
const ById = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

/** 409: the room already holds a slot at that time; the field error names it, as the CLI does. */
function sendOverlap(req: FastifyRequest, reply: FastifyReply, clash: ShootSlot) {
  const other = `#${clash.id} ${clash.date} ${clash.start}-${clash.end}`;
  return sendError(req, reply, 'staff.slot_overlap', wordedFieldErrors(req, [{ field: 'start', code: 'schedule.room_overlap', params: { other } }]), { other });
}

// category: regular|adult (普通|成人); absent or empty means any category.
const SlotBody = Type.Object({ room: Text, department: Text, className: Text, date: Text, start: Text, end: Text, category: Text });
const WindowBody = Type.Object({ startDate: Text, endDate: Text, weekdays: Text, periods: Text, room: Text, category: Text });

type RefusalCode = 'staff.slot_not_found' | 'staff.makeup_window_not_found' | 'staff.slot_has_captures' | 'staff.makeup_window_has_captures'
  | 'staff.slot_fixed_by_captures' | 'staff.makeup_window_fixed_by_captures';
interface Refusal { code: RefusalCode; captured: number }

function refusal(code: RefusalCode, captured = 0): Refusal {
  return { code, captured };
}

/** 404 for an unknown entry, 409 when photos taken under it forbid the change; `captured` says how many students. */
function sendRefusal(req: FastifyRequest, reply: FastifyReply, id: number, r: Refusal) {
  return sendError(req, reply, r.code, { id, captured: r.captured }, { count: r.captured });
}

/** Whether `wider` holds every day `narrower` does (dates and weekdays; hours are not compared). */
function covers(wider: Omit<MakeupWindow, 'id'>, narrower: MakeupWindow): boolean {
  return wider.startDate <= narrower.startDate && wider.endDate >= narrower.endDate && narrower.weekdays.every((d) => wider.weekdays.includes(d));
}

export function scheduleRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get('/api/slots', { config: office, schema: { querystring: Type.Object({ date: Type.Optional(Type.String({ pattern: isoDate })) }) } },
      async (req) => ({ slots: await listSlots(ctx.db, { date: req.query.date }) }));

    r.post('/api/slots', {
      config: office,
      schema: { body: SlotBody },
    }, async (req, reply) => {
      const parsed = parseSlot(req.body);
      if (!parsed.ok) return sendFieldErrors(req, reply, parsed.errors);
      const now = ctx.now();
      const outcome = await ctx.db.transaction(async (tx) => {
        const clash = await roomClash(tx, parsed.value);
        if (clash) return { clash };
        const s = await insertSlot(tx, parsed.value);
        await appendAudit(tx, { actor: req.staff!.name, origin: req.ip, action: 'schedule.slot.add', target: s.room, details: { ...s } }, now);
        return { slot: s };
      });
      if (outcome.clash) return sendOverlap(req, reply, outcome.clash);
      return { slot: outcome.slot };
    });

    // Editing a slot. Once students were photographed under it, it stays the record of whom it
    // covered on which day (see the deletion rule below): date, department and class are fixed then,
    // while the room and the hours may still move (a class that ran late). Audited before and after.
    r.put('/api/slots/:id', {
      config: office,
      schema: { params: ById, body: SlotBody },
    }, async (req, reply) => {
      const parsed = parseSlot(req.body);
      if (!parsed.ok) return sendFieldErrors(req, reply, parsed.errors);
      const wanted = parsed.value;
      const outcome = await ctx.db.transaction(async (tx) => {
        const before = await findSlot(tx, req.params.id);
        if (!before) return { refused: refusal('staff.slot_not_found') };
        const moved = before.date !== wanted.date || before.department !== wanted.department || before.className !== wanted.className
          || (before.category ?? null) !== (wanted.category ?? null);
        const captured = moved ? await studentsCapturedInSlot(tx, before) : 0;
        if (captured > 0) return { refused: refusal('staff.slot_fixed_by_captures', captured) };
        const clash = await roomClash(tx, wanted, before.id);
        if (clash) return { clash };
        const slot = await updateSlot(tx, before.id, wanted);
        await appendAudit(tx, { actor: req.staff!.name, origin: req.ip, action: 'schedule.slot.update', target: slot.room, details: { before, after: slot } }, ctx.now());
        return { slot };
      });
      if (outcome.clash) return sendOverlap(req, reply, outcome.clash);
      if (outcome.refused) return sendRefusal(req, reply, req.params.id, outcome.refused);
      return { slot: outcome.slot };
    });

    r.get('/api/makeup-windows', { config: office }, async () => ({ windows: await listMakeupWindows(ctx.db) }));

    // A file of make-up windows (XLSX or CSV) as the raw body: checked row by row like the slot
    // import, all or nothing; `dryRun` previews what would be added. Problems: 422 with every row.
    app.addContentTypeParser(
      ['application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      { parseAs: 'buffer', bodyLimit: 32 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    r.post('/api/makeup-windows/import', {
      config: office,
      bodyLimit: 32 * 1024 * 1024,
      schema: { querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), dryRun: Type.Boolean({ default: false }) }) },
    }, async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) return sendError(req, reply, 'staff.bad_request', null, { detail: 'file body' });
      const now = ctx.now();
      const report = await importMakeupWindows(sqlMakeupWindowStore(ctx.db), { name: req.query.name, bytes: req.body }, {
        dryRun: req.query.dryRun,
        audit: (trail, details) => trail.append({ actor: req.staff!.name, origin: req.ip, action: 'schedule.makeup_window.import', target: details.file, details }, now),
      });
      if (report.errors.length) return sendError(req, reply, 'staff.import_rejected', report, { count: report.errors.length });
      return report;
    });

    r.post('/api/makeup-windows', {
      config: office,
      schema: { body: WindowBody },
    }, async (req, reply) => {
      const parsed = parseMakeupWindow(req.body);
      if (!parsed.ok) return sendFieldErrors(req, reply, parsed.errors);
      const now = ctx.now();
      const window = await ctx.db.transaction(async (tx) => {
        const w = await insertMakeupWindow(tx, parsed.value);
        await appendAudit(tx, { actor: req.staff!.name, origin: req.ip, action: 'schedule.makeup_window.add', target: `${w.startDate}..${w.endDate}`, details: { id: w.id } }, now);
        return w;
      });
      return { window };
    });

    // Editing a make-up window. Once certificate holders were photographed in it, it may only grow
    // (earlier start, later end, more weekdays) so every one of those days stays inside it; its
    // hours and room may change. Extending the make-up period is the usual edit.
    r.put('/api/makeup-windows/:id', {
      config: office,
      schema: { params: ById, body: WindowBody },
    }, async (req, reply) => {
      const parsed = parseMakeupWindow(req.body);
      if (!parsed.ok) return sendFieldErrors(req, reply, parsed.errors);
      const wanted = parsed.value;
      const outcome = await ctx.db.transaction(async (tx) => {
        const before = await findMakeupWindow(tx, req.params.id);
        if (!before) return { refused: refusal('staff.makeup_window_not_found') };
        const captured = covers(wanted, before) ? 0 : await makeupCapturesInWindow(tx, before);
        if (captured > 0) return { refused: refusal('staff.makeup_window_fixed_by_captures', captured) };
        const window = await updateMakeupWindow(tx, before.id, wanted);
        await appendAudit(tx, {
          actor: req.staff!.name, origin: req.ip, action: 'schedule.makeup_window.update', target: `${window.startDate}..${window.endDate}`, details: { before, after: window },
        }, ctx.now());
        return { window };
      });
      if (outcome.refused) return sendRefusal(req, reply, req.params.id, outcome.refused);
      return { window: outcome.window };
    });

    // Deletion rule, the same for slots and windows: nothing in the store references them (captures
    // point at students, not at the slot or window they came under), so a delete never breaks a row.
    // But once photos were accepted under one, it is the record of why those students were
    // photographed that day, and progress ("absent from their slot") is read against it: deleting it
    // would quietly rewrite a finished day. So an entry with captures answers 409 with a code; one
    // entered by mistake, or not yet used, can go (a used one may still be edited, within the rules above).
    r.delete('/api/slots/:id', { config: office, schema: { params: ById } }, async (req, reply) => {
      const outcome = await ctx.db.transaction(async (tx) => {
        const slot = await findSlot(tx, req.params.id);
        if (!slot) return { refused: refusal('staff.slot_not_found') };
        const captured = await studentsCapturedInSlot(tx, slot);
        if (captured > 0) return { refused: refusal('staff.slot_has_captures', captured) };
        await deleteSlot(tx, slot.id);
        await appendAudit(tx, { actor: req.staff!.name, origin: req.ip, action: 'schedule.slot.delete', target: slot.room, details: { ...slot } }, ctx.now());
        return { slot };
      });
      if (outcome.refused) return sendRefusal(req, reply, req.params.id, outcome.refused);
      return { deleted: outcome.slot };
    });

    r.delete('/api/makeup-windows/:id', { config: office, schema: { params: ById } }, async (req, reply) => {
      const outcome = await ctx.db.transaction(async (tx) => {
        const window = await findMakeupWindow(tx, req.params.id);
        if (!window) return { refused: refusal('staff.makeup_window_not_found') };
        const captured = await makeupCapturesInWindow(tx, window);
        if (captured > 0) return { refused: refusal('staff.makeup_window_has_captures', captured) };
        await deleteMakeupWindow(tx, window.id);
        await appendAudit(tx, {
          actor: req.staff!.name, origin: req.ip, action: 'schedule.makeup_window.delete', target: `${window.startDate}..${window.endDate}`, details: { ...window },
        }, ctx.now());
        return { window };
      });
      if (outcome.refused) return sendRefusal(req, reply, req.params.id, outcome.refused);
      return { deleted: outcome.window };
    });
  };
}
