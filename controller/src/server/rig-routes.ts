/**
 * The room's readiness for the staff side, and the simulated rig's controls (door, daylight, light
 * levels) for demos and technicians' rehearsals. Mounted on the staff listener (`rig serve`) for
 * technicians and admins; it is never part of the kiosk API.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Rig, SimulatedRigControls } from '../../../firmware-bridge/src/rig.ts';
import { ErrorSchema, apiError } from './errors.ts';

/** The staff listener refuses routes without an access rule: the room is the technicians'. */
const technician = { access: { roles: ['technician', 'admin'] as const } };

export interface RigRoutesOptions {
  rig: Rig;
  /** Present only when the rig is the simulated one. */
  controls?: SimulatedRigControls;
}

const Level = Type.Number({ minimum: 0, maximum: 2 });
export const ReadinessSchema = Type.Object({
  ready: Type.Boolean(),
  reasons: Type.Array(Type.String()),
  door: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  daylight: Type.Boolean(),
  lights: Type.Object({ left: Type.Number(), right: Type.Number() }),
  at: Type.String(),
  simulated: Type.Boolean(),
});

export const rigRoutes: FastifyPluginAsync<RigRoutesOptions> = async (app0, { rig, controls }) => {
  const app = app0.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/rig', { config: technician, schema: { response: { 200: ReadinessSchema } } }, async () => rig.readiness());
  app.post('/api/rig/simulated', {
    config: technician,
    schema: {
      body: Type.Object({
        door: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
        daylight: Type.Optional(Type.Boolean()),
        lights: Type.Optional(Type.Object({ left: Type.Optional(Level), right: Type.Optional(Level) }, { additionalProperties: false })),
      }, { additionalProperties: false }),
      response: { 200: ReadinessSchema, 409: ErrorSchema },
    },
  }, async (req, reply) => {
    if (!controls) {
      const { body } = apiError('rig.not_simulated');
      return reply.code(409).send(body);
    }
    if (req.body.door) controls.setDoor(req.body.door);
    if (req.body.daylight !== undefined) controls.setDaylight(req.body.daylight);
    if (req.body.lights) controls.setLights(req.body.lights);
    return rig.readiness();
  });
};
