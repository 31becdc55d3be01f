/**
 * The technician's calibration routes on the staff listener: the room's state, a live frame,
 * lights and camera set at once, test shot with figures and plots, auto-calibration, profiles
 * (save, activate audited, compare, history) and the morning check. Technicians (and admins) only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Camera } from '../../app/ports/camera.ts';
import type { RigPort } from '../../app/ports/rig.ts';
import type { Calibration, TestShot } from '../../app/calibration/calibration.ts';
import { CalibrationError } from '../../app/calibration/calibration-error.ts';
import { lightChannels } from '../../domain/lighting.ts';
import { message, type MessageCode } from '../../domain/messages/index.ts';
import type { ShotFigures } from '../../domain/calibration/figures.ts';
import { faceSvg, heatmapSvg, histogramSvg, stepsSvg } from './calibration-plots.ts';
import { requestLocale, sendError } from './errors.ts';

export const technician = { access: { roles: ['technician', 'admin'] as const } };

export interface CalibrationRouteParts {
  /** Null when this station has no camera and rig to calibrate (the staff listener on its own). */
  calibration: Calibration | null;
  camera: Camera | null;
  rig: RigPort | null;
}

const Percent = Type.Number({ minimum: 0, maximum: 100 });
const SettingValue = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9/. ]+$' });
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

function fail(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof CalibrationError) return sendError(req, reply, err.code, err.params, err.params);
  throw err;
}

/** Each figure set with its three plots, labelled in the request's language. */
function plotted(req: FastifyRequest, figures: ShotFigures, calibration: Calibration) {
  const l = requestLocale(req);
  const t = calibration.settings.targets;
  const dataUrl = (s: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(s)}`;
  return {
    histogram: dataUrl(histogramSvg(figures, message('calibration.ui.histogram', l))),
    heatmap: dataUrl(heatmapSvg(figures, message('calibration.ui.heatmap', l))),
    face: dataUrl(faceSvg(figures, t, message('calibration.ui.face', l))),
  };
}

function shotBody(req: FastifyRequest, shot: TestShot, calibration: Calibration) {
  return { ...shot, plots: plotted(req, shot.figures, calibration) };
}

export function calibrationRoutes(parts: CalibrationRouteParts) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { calibration, camera, rig } = parts;
    const needed = (req: FastifyRequest, reply: FastifyReply): Calibration | null => {
      if (!calibration) {
        sendError(req, reply, 'calibration.unavailable');
        return null;
      }
      return calibration;
    };

    r.get('/api/calibration/room', { config: technician }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c || !rig) return reply;
      const readings = rig.readings();
      const active = await c.activeProfile();
      return {
        readiness: rig.readiness(),
        subjectLux: readings.subjectLux?.value ?? null,
        daylightRaw: readings.daylightRaw?.value ?? null,
        lights: Object.fromEntries(lightChannels.flatMap((ch) => (readings.lights[ch] ? [[ch, Math.round(readings.lights[ch].value * 10) / 10]] : []))),
        settings: await c.roomSettings().catch(() => null),
        activeProfile: active ? { id: active.id, name: active.name } : null,
        simulated: rig.choice.simulated,
        limits: c.settings.limits,
      };
    });

    // One live-view frame; the page asks again for the next (no socket on the staff listener).
    r.get('/api/calibration/preview.jpg', { config: technician }, async (req, reply) => {
      if (!camera) return sendError(req, reply, 'calibration.unavailable');
      const jpeg = await new Promise<Buffer | null>((resolve) => {
        let stop: (() => void) | null = null;
        const timer = setTimeout(() => { stop?.(); resolve(null); }, 3000);
        try {
          stop = camera.preview((frame) => { clearTimeout(timer); stop?.(); resolve(frame.jpeg); }, () => { clearTimeout(timer); resolve(null); });
        } catch {
          clearTimeout(timer);
          resolve(null);
        }
      });
      if (!jpeg) return sendError(req, reply, 'calibration.camera_failed', null, { code: 'camera.preview' });
      return reply.header('content-type', 'image/jpeg').send(jpeg);
    });

    r.post('/api/calibration/lights', {
      config: technician,
      schema: { body: Type.Object({ key: Type.Optional(Percent), fill: Type.Optional(Percent), background: Type.Optional(Percent) }, { additionalProperties: false }) },
    }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      try {
        return { lights: await c.setLights(req.body) };
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    r.post('/api/calibration/camera', {
      config: technician,
      schema: { body: Type.Object({ iso: Type.Optional(SettingValue), aperture: Type.Optional(SettingValue), shutter: Type.Optional(SettingValue), whiteBalance: Type.Optional(SettingValue) }, { additionalProperties: false }) },
    }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      try {
        return { settings: await c.setCamera(req.body) };
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    r.post('/api/calibration/shot', { config: technician }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      try {
        return shotBody(req, await c.testShot(), c);
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    r.get('/api/calibration/shot.jpg', { config: technician }, async (req, reply) => {
      const last = calibration?.lastShot();
      if (!last) return sendError(req, reply, 'calibration.no_shot');
      return reply.header('content-type', 'image/jpeg').send(last.jpeg);
    });

    r.post('/api/calibration/auto', { config: technician }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      try {
        const run = await c.autoCalibrate();
        const l = requestLocale(req);
        return {
          ...run,
          message: message(run.outcome.reason, l, channelWords(run.outcome.params, l)),
          steps: run.steps.map((s) => ({ ...s, plots: plotted(req, s.figures, c) })),
          progress: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(stepsSvg(run.steps, c.settings.targets, message('calibration.ui.steps', l), [
            message('calibration.ui.legend_face', l), message('calibration.ui.legend_backdrop', l), message('calibration.ui.legend_balance', l),
          ]))}`,
        };
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    // The running auto-calibration's steps so far (the page polls while its POST is pending).
    r.get('/api/calibration/auto', { config: technician }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      const steps = c.progress();
      return { running: steps !== null, steps: (steps ?? []).map((s) => ({ shot: s.shot, settings: s.settings, targets: s.targets, decision: s.decision })) };
    });

    r.get('/api/calibration/profiles', { config: technician }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      return c.history(50);
    });

    r.post('/api/calibration/profiles', {
      config: technician,
      schema: { body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }) },
    }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      const name = req.body.name.normalize('NFKC').trim();
      if (!name) return sendError(req, reply, 'staff.bad_request', { field: 'name' });
      try {
        return reply.code(201).send({ profile: await c.saveProfile(name, req.staff!.name) });
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    r.post('/api/calibration/profiles/:id/activate', {
      config: technician,
      schema: { params: Type.Object({ id: Id }) },
    }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      try {
        return { profile: await c.activate(req.params.id, req.staff!.name, req.ip) };
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    r.get('/api/calibration/compare', {
      config: technician,
      schema: { querystring: Type.Object({ a: Id, b: Id }, { additionalProperties: false }) },
    }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      try {
        return await c.compare(req.query.a, req.query.b);
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    r.post('/api/calibration/morning-check', { config: technician }, async (req, reply) => {
      const c = needed(req, reply);
      if (!c) return reply;
      try {
        const result = await c.morningCheck(req.staff!.name);
        const l = requestLocale(req);
        const drifts = result.verdict.drifts.map((d) => ({
          ...d, message: message(d.code, l, { expected: d.expected, measured: d.measured, ...channelWords({ channel: d.channel ?? '' }, l) }),
        }));
        return {
          passed: result.verdict.passed, drifts, profile: { id: result.profile.id, name: result.profile.name },
          message: result.verdict.passed ? message('calibration.morning.pass', l) : message('calibration.morning.drifted', l, { what: drifts.map((d) => d.message).join('; ') }),
          shot: shotBody(req, result.shot, c), record: { id: result.record.id, at: result.record.at },
        };
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    // The virtual room's handles for rehearsals and demos: an ageing or dead lamp, daylight, the door.
    r.post('/api/calibration/simulated', {
      config: technician,
      schema: {
        body: Type.Object({
          lampOutput: Type.Optional(Type.Object({
            key: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })), fill: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
            background: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
          }, { additionalProperties: false })),
          daylightLux: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
          door: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
        }, { additionalProperties: false }),
      },
    }, async (req, reply) => {
      const controls = rig?.controls;
      if (!controls?.setLampOutput || !controls.setDaylightLux) return sendError(req, reply, 'staff.bad_request', { detail: 'rig.not_simulated' });
      for (const [ch, v] of Object.entries(req.body.lampOutput ?? {}) as Array<['key' | 'fill' | 'background', number]>) controls.setLampOutput(ch, v);
      if (req.body.daylightLux !== undefined) controls.setDaylightLux(req.body.daylightLux);
      if (req.body.door) controls.setDoor(req.body.door);
      return { ok: true };
    });
  };
}

/** A channel parameter in words (`key` -> 主光 / key light). */
function channelWords(params: Record<string, string | number>, l: 'zh' | 'en'): Record<string, string | number> {
  const ch = params.channel;
  if (typeof ch !== 'string' || !ch) return params;
  const code = `calibration.channel.${ch}` as MessageCode;
  return { ...params, channel: message(code, l) };
}
