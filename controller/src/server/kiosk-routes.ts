/**
 * The kiosk API plugin (loopback only, no login: it can only do kiosk things). Commands answer with
 * the new state, or 4xx `{ error }` when the session refuses them; `GET /api/kiosk/events` streams
 * every state as Server-Sent Events; `GET /api/kiosk/preview` is a WebSocket of JPEG frames.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {} from '@fastify/websocket';
import { Type } from 'typebox';
import type { KioskEvent } from '../domain/capture-session.ts';
import type { DemoStudent } from '../domain/demo-roster.ts';
import { discrepancyFields, normaliseDiscrepancyFields } from '../domain/discrepancy.ts';
import type { KioskController } from '../app/kiosk/kiosk-controller.ts';
import { apiError, ErrorSchema } from './errors.ts';
import { KioskViewSchema } from '../app/kiosk/kiosk-view.ts';
import { externalCode } from '../domain/messages/index.ts';

export interface KioskRoutesOptions {
  controller: KioskController;
  demoStudents: DemoStudent[];
}

const DemoSchema = Type.Object({
  students: Type.Array(Type.Object({
    name: Type.String(), idNumber: Type.String(), collectionCode: Type.String(), studentNumber: Type.String(),
    note: Type.Object({ zh: Type.String(), en: Type.String() }),
  })),
});

const commandResponses = { 200: KioskViewSchema, 400: ErrorSchema, 409: ErrorSchema };

export const kioskRoutes: FastifyPluginAsync<KioskRoutesOptions> = async (app0, { controller, demoStudents }) => {
  const app = app0.withTypeProvider<TypeBoxTypeProvider>();

  const command = async (reply: FastifyReply, event: KioskEvent) => {
    const t = controller.dispatch(event);
    if (t.refusal) {
      const { status, body } = apiError(externalCode(t.refusal.code), { reasons: t.refusal.reasons ?? [], params: t.refusal.params ?? {} }, t.refusal.params);
      return reply.code(status).send(body);
    }
    return controller.view();
  };

  // Invented people only, and only in demo mode: the list is empty otherwise.
  app.get('/api/kiosk/demo', { schema: { response: { 200: DemoSchema } } }, async () => ({
    students: demoStudents.map((s) => ({ name: s.name, idNumber: s.idNumber, collectionCode: s.collectionCode, studentNumber: s.studentNumber, note: s.note })),
  }));

  app.get('/api/kiosk/state', { schema: { response: { 200: KioskViewSchema } } }, async () => controller.view());

  app.post('/api/kiosk/scan', {
    schema: {
      // Scanner text: 采集码 QR payloads are short; anything longer is not a code.
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
      response: commandResponses,
    },
  }, async (req, reply) => command(reply, { type: 'scan', code: req.body.code }));

  for (const [path, type] of [['confirm', 'confirm'], ['capture', 'capture'], ['accept', 'accept'], ['retake', 'retake'], ['cancel', 'cancel']] as const) {
    // An empty JSON object: a body-less POST is a "simple" request any page could send.
    app.post(`/api/kiosk/${path}`, {
      schema: { body: Type.Object({}, { additionalProperties: false }), response: commandResponses },
    }, async (_req, reply) => command(reply, { type }));
  }

  // 信息不符: "this is me, but these fields are wrong". Recorded for staff; the session goes on as after confirm.
  app.post('/api/kiosk/report-discrepancy', {
    schema: {
      body: Type.Object({
        fields: Type.Array(Type.Union(discrepancyFields.map((f) => Type.Literal(f))), { minItems: 1, maxItems: discrepancyFields.length, uniqueItems: true }),
      }, { additionalProperties: false }),
      response: commandResponses,
    },
  }, async (req, reply) => command(reply, { type: 'report-discrepancy', fields: normaliseDiscrepancyFields(req.body.fields) ?? [] }));

  app.get('/api/kiosk/review/:kind', {
    schema: { params: Type.Object({ kind: Type.Union([Type.Literal('deliverable.jpg'), Type.Literal('original.jpg')]) }) },
  }, async (req, reply) => {
    const image = controller.reviewImage(req.params.kind === 'deliverable.jpg' ? 'deliverable' : 'original');
    if (!image) {
      const { status, body } = apiError('kiosk.preview.none');
      return reply.code(status).send(body);
    }
    return reply.header('cache-control', 'no-store').type('image/jpeg').send(image);
  });

  // Open event streams, ended on close: a browser left connected must not hold the shutdown.
  const streams = new Set<() => void>();
  // preClose: the server waits for open connections before onClose would run.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  app.get('/api/kiosk/events', async (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (data: unknown): void => void res.write(`data: ${JSON.stringify(data)}\n\n`);
    send(controller.view());
    const unsubscribe = controller.subscribe(send);
    // Comments keep idle proxies and the browser from timing the stream out.
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const end = (): void => {
      if (!streams.delete(end)) return;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
    };
    streams.add(end);
    req.raw.on('close', end);
  });

  app.get('/api/kiosk/preview', { websocket: true }, (socket) => {
    const unsubscribe = controller.subscribePreview((frame) => {
      // A slow screen gets fewer frames rather than a growing queue.
      if (socket.readyState === socket.OPEN && socket.bufferedAmount < 1_000_000) socket.send(frame.jpeg);
    });
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);
  });
};
