/** Shoot slots and make-up windows from the dashboard: list and add, checked by the domain's parsers, audited. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { message } from '../../domain/messages/index.ts';
import { parseMakeupWindow, parseSlot, type FieldError } from '../../domain/schedule-input.ts';
import { appendAudit } from '../../store/audit-log.ts';
import { insertMakeupWindow, insertSlot, listMakeupWindows, listSlots } from '../../store/schedule-repository.ts';
import { isoDate } from './batches.ts';
import type { StaffContext } from './context.ts';
import { requestLocale, sendError } from './errors.ts';

const office = { access: { roles: ['admin', 'staff'] as const } };
const Text = Type.Optional(Type.String({ maxLength: 100 }));

export function scheduleRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const worded = (req: Parameters<typeof requestLocale>[0], errors: FieldError[]) =>
      errors.map((e) => ({ ...e, message: message(e.code, requestLocale(req), e.params ?? {}) }));

    r.get('/api/slots', { config: office, schema: { querystring: Type.Object({ date: Type.Optional(Type.String({ pattern: isoDate })) }) } },
      async (req) => ({ slots: await listSlots(ctx.db, { date: req.query.date }) }));

    r.post('/api/slots', {
      config: office,
      schema: { body: Type.Object({ room: Text, department: Text, className: Text, date: Text, start: Text, end: Text }) },
    }, async (req, reply) => {
      const parsed = parseSlot(req.body);
      if (!parsed.ok) return sendError(req, reply, 'staff.bad_request', worded(req, parsed.errors), { detail: parsed.errors.map((e) => e.field).join(', ') });
      const now = ctx.now();
      const slot = await ctx.db.transaction(async (tx) => {
        const s = await insertSlot(tx, parsed.value);
        await appendAudit(tx, { actor: req.staff!.name, origin: req.ip, action: 'schedule.slot.add', target: s.room, details: { ...s } }, now);
        return s;
      });
      return { slot };
    });

    r.get('/api/makeup-windows', { config: office }, async () => ({ windows: await listMakeupWindows(ctx.db) }));

    r.post('/api/makeup-windows', {
      config: office,
      schema: { body: Type.Object({ startDate: Text, endDate: Text, weekdays: Text, periods: Text, room: Text }) },
    }, async (req, reply) => {
      const parsed = parseMakeupWindow(req.body);
      if (!parsed.ok) return sendError(req, reply, 'staff.bad_request', worded(req, parsed.errors), { detail: parsed.errors.map((e) => e.field).join(', ') });
      const now = ctx.now();
      const window = await ctx.db.transaction(async (tx) => {
        const w = await insertMakeupWindow(tx, parsed.value);
        await appendAudit(tx, { actor: req.staff!.name, origin: req.ip, action: 'schedule.makeup_window.add', target: `${w.startDate}..${w.endDate}`, details: { id: w.id } }, now);
        return w;
      });
      return { window };
    });
  };
}
