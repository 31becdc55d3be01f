import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { SimulatedRig } from '../../firmware-bridge/src/simulated-rig.ts';
import { rigRoutes } from '../../controller/src/server/rig-routes.ts';

async function app(simulated: boolean) {
  const rig = new SimulatedRig();
  const a = Fastify({ ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } });
  await a.register(rigRoutes, simulated ? { rig, controls: rig } : { rig });
  return { a, rig };
}

describe('rig routes (staff side)', () => {
  it('reports readiness and lets the simulated room be changed', async () => {
    const { a, rig } = await app(true);
    expect((await a.inject({ method: 'GET', url: '/api/rig' })).json()).toMatchObject({ ready: true, simulated: true });
    const r = await a.inject({ method: 'POST', url: '/api/rig/simulated', payload: { door: 'open', lights: { left: 0.5 } } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ ready: false, reasons: ['rig.door_open', 'rig.lights_low', 'rig.lights_unbalanced'] });
    expect(rig.lightLevel()).toBeCloseTo(0.75);
    await a.close();
  });

  it('refuses out-of-range levels and unknown fields', async () => {
    const { a } = await app(true);
    expect((await a.inject({ method: 'POST', url: '/api/rig/simulated', payload: { lights: { left: 5 } } })).statusCode).toBe(400);
    expect((await a.inject({ method: 'POST', url: '/api/rig/simulated', payload: { window: 'open' } })).statusCode).toBe(400);
    await a.close();
  });

  it('refuses to set a real rig by hand', async () => {
    const { a } = await app(false);
    const r = await a.inject({ method: 'POST', url: '/api/rig/simulated', payload: { door: 'open' } });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('rig.not_simulated');
    await a.close();
  });
});
