/**
 * The room hold for the staff and technician pages: whether a photo's room fault is holding capture
 * (with the technician's reasons and since when), and releasing it once the room is put right
 * (audited). Served only where the kiosk runs in the same process (`rig serve`); elsewhere 503.
 */
import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../../store/audit-log.ts';
import type { StaffContext } from './context.ts';
import { sendError } from './errors.ts';

const everyone = { access: { roles: ['admin', 'staff', 'technician'] as const } };

export function roomRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/room', { config: everyone }, async (req, reply) => {
      if (!ctx.room) return sendError(req, reply, 'staff.unavailable');
      const held = ctx.room.state();
      return { held: held !== null, hold: held };
    });

    app.post('/api/room/release', { config: everyone }, async (req, reply) => {
      if (!ctx.room) return sendError(req, reply, 'staff.unavailable');
      const before = ctx.room.state();
      if (!before || !ctx.room.release()) return sendError(req, reply, 'staff.room_not_held');
      await appendAudit(ctx.db, {
        actor: req.staff!.name, origin: req.ip, action: 'room.release', target: 'room',
        details: { reasons: before.reasons, since: before.since, attemptId: before.attemptId },
      }, ctx.now());
      return { held: false, hold: null };
    });
  };
}
