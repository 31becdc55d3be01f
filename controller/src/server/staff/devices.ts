/**
 * The room's devices for the staff status page: which camera and rig drivers run (real or
 * simulated, and why `auto` chose so) and how each is now. Every signed-in role may look: the
 * technician who set the room up needs it most.
 */
import type { FastifyInstance } from 'fastify';
import type { DevicesReport } from '../../app/ports/device.ts';

export function deviceRoutes(devices: (() => DevicesReport) | undefined) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // null when this listener runs without the kiosk (no camera or rig in this process).
    app.get('/api/devices', { config: { access: { roles: ['admin', 'staff', 'technician'] } } }, async () => ({ devices: devices ? devices() : null }));
  };
}
