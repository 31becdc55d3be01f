/** Batch export over the LAN: a streamed ZIP of one day's deliverables (or a department's, a class's). */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { maskIdNumber } from '../../domain/roster/id-number.ts';
import { appendAudit } from '../../store/audit-log.ts';
import { batchZipStream, DamagedPhotoError, namings, planBatch } from '../../formats/export/batch.ts';
import type { StaffContext } from './context.ts';
import { sendError } from './errors.ts';

export const isoDate = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
/** Department and class names: roster text, used only as filters, never as paths. */
export const FilterText = Type.String({ minLength: 1, maxLength: 100 });

export function batchRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.withTypeProvider<TypeBoxTypeProvider>().get('/api/batches/:file', {
      config: { access: { roles: ['admin', 'staff'] } },
      // A HEAD would run the whole export (and audit it) only to drop the body.
      exposeHeadRoute: false,
      schema: {
        params: Type.Object({ file: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}\\.zip$' }) }),
        querystring: Type.Object({
          department: Type.Optional(FilterText),
          class: Type.Optional(FilterText),
          naming: Type.Union(namings.map((n) => Type.Literal(n)), { default: 'idnumber' }),
          // Only make-up captures, grouped by certificate, with the certificate's school contact in the manifest.
          makeup: Type.Optional(Type.Boolean()),
        }),
      },
    }, async (req, reply) => {
      const date = req.params.file.slice(0, 10);
      if (!new RegExp(isoDate).test(date)) return sendError(req, reply, 'staff.bad_request', { parameter: 'file' }, { detail: date });
      const { department, class: className, naming, makeup } = req.query;
      const photos = await ctx.photos.list({ date, department, className, ...(makeup ? { makeupOnly: true } : {}) });
      const rows = planBatch(photos, naming);
      const now = ctx.now();
      const scope = [date, department, className, makeup ? '补采 makeup' : undefined].filter((s): s is string => s !== undefined);
      // The audit row is written (on SQLite's thread) while the manifests are built here; the
      // archive is sent only once the row is in.
      const audited = appendAudit(ctx.db, {
        actor: req.staff!.name,
        origin: req.ip,
        action: 'batch.export',
        target: scope.join(' / '),
        details: { date, department: department ?? null, class: className ?? null, naming, makeup: makeup ?? false, files: rows.length },
      }, now);
      let stream: ReturnType<typeof batchZipStream>;
      try {
        stream = batchZipStream(rows, { dataDir: ctx.dataDir, title: scope.join(' '), now });
      } finally {
        await audited;
      }
      stream.on('error', (err) => {
        const file = err instanceof DamagedPhotoError ? err.file : undefined;
        ctx.log.error({ err: err.message, file, date }, 'batch export stopped');
        void appendAudit(ctx.db, {
          actor: req.staff!.name, origin: req.ip, action: 'batch.export_failed', target: scope.join(' / '),
          details: { reason: err.message.replace(/\d{17}[\dX]/g, maskIdNumber) },
        }, ctx.now()).catch(() => undefined);
      });
      const asciiName = `${date}.zip`;
      const fullName = `${scope.join('-')}.zip`;
      return reply
        .type('application/zip')
        // Known before the first byte: the dashboard and other clients can show real progress, and
        // one that stops early is seen as short rather than as a complete download.
        .header('content-length', String(stream.size))
        .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fullName)}`)
        .send(stream);
    });
  };
}
