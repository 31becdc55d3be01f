/**
 * The kiosk app factory: fastify with the kiosk API, the built kiosk UI and uniform errors. Tests
 * drive it with inject() or listen on 127.0.0.1:0; `rig serve` is the only production listen().
 */
import { existsSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { Logger } from 'pino';
import type { DemoStudent } from '../domain/demo-roster.ts';
import type { KioskController } from '../app/kiosk/kiosk-controller.ts';
import { kioskRoutes } from './kiosk-routes.ts';
import { apiError } from './errors.ts';
import { hardenHttp } from './http-hardening.ts';
import { kioskRequestRefusal } from './kiosk-guard.ts';

export interface KioskAppOptions {
  controller: KioskController;
  logger: Logger;
  /** The built kiosk UI (kiosk-ui/dist); without it the API still works and / says how to build. */
  uiDir?: string;
  /** Demo mode: the invented roster, listed on the idle screen so a newcomer knows what to type. */
  demoStudents?: DemoStudent[];
}

export async function buildKioskApp(options: KioskAppOptions): Promise<FastifyInstance> {
  // Warnings and errors only: per-request lines (state polls, preview frames) would drown the log.
  const httpLog = options.logger.child({ component: 'kiosk-http' }, { level: options.logger.levelVal > 40 ? options.logger.level : 'warn' });
  const app = Fastify({
    loggerInstance: httpLog as FastifyBaseLogger,
    bodyLimit: 16 * 1024,
    // Strict bodies: a number is not a code, and unknown fields are refused rather than silently dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });

  await hardenHttp(app, { tls: false });

  // The listener binds loopback; this also refuses a request if the server is ever bound wider by
  // mistake, and refuses any page but the kiosk's own (kiosk-guard.ts).
  app.addHook('onRequest', async (req, reply) => {
    const refusal = kioskRequestRefusal(req);
    if (refusal) {
      const { status, body } = apiError(refusal);
      // A refused WebSocket upgrade owns its socket (no HTTP server tracks it): end it after the answer.
      if (req.headers.upgrade) reply.raw.once('finish', () => req.raw.socket.destroy());
      return reply.code(status).header('connection', 'close').send(body);
    }
  });

  app.setErrorHandler((err: { validation?: unknown; statusCode?: number; message: string }, _req, reply) => {
    if (err.validation) {
      const { status, body } = apiError('kiosk.request.invalid', err.message);
      return reply.code(status).send(body);
    }
    if (err.statusCode && err.statusCode < 500) {
      const { body } = apiError('kiosk.request.invalid', err.message);
      return reply.code(err.statusCode).send(body);
    }
    app.log.error({ err }, 'request failed');
    const { status, body } = apiError('kiosk.internal');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((_req, reply) => {
    const { status, body } = apiError('kiosk.not_found');
    return reply.code(status).send(body);
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 } });
  await app.register(kioskRoutes, { controller: options.controller, demoStudents: options.demoStudents ?? [] });

  if (options.uiDir && existsSync(options.uiDir)) {
    await app.register(fastifyStatic, { root: options.uiDir, index: ['index.html'], list: false, cacheControl: false });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('kiosk UI not built: run `npm run build:ui` (rig serve and npm start do it when they can) / 界面尚未构建'),
    );
  }
  return app;
}
