/**
 * Incremental sync for `rig pull` and the dashboard: the day's accepted photos after a sequence
 * number, with their hashes, and each deliverable (and a thumbnail) by day and sequence. Files are
 * only reachable through a recorded photo, never by a path from the request.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../store/audit-log.ts';
import { resolveInData } from '../../formats/export/data-path.ts';
import { isoDate, FilterText } from './batches.ts';
import type { StaffContext } from './context.ts';
import { sendError } from './errors.ts';
import { etagMatches, ThumbnailCache } from './thumbnails.ts';

const PhotoKey = Type.Object({
  date: Type.String({ pattern: isoDate }),
  sequence: Type.Integer({ minimum: 1 }),
});

export function photoRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const thumbnails = ThumbnailCache.inDataFolder(ctx.dataDir);

    r.get('/api/photos', {
      config: { access: { roles: ['admin', 'staff'] } },
      schema: {
        querystring: Type.Object({
          date: Type.String({ pattern: isoDate }),
          since: Type.Integer({ minimum: 0, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
          department: Type.Optional(FilterText),
          class: Type.Optional(FilterText),
        }),
      },
    }, async (req) => {
      const { date, since, limit, department, class: className } = req.query;
      const photos = await ctx.photos.list({ date, afterSequence: since, limit: limit + 1, department, className });
      const page = photos.slice(0, limit);
      if (since === 0) {
        // One audit row per pull (its first page), not one per page or per file.
        await appendAudit(ctx.db, {
          actor: req.staff!.name, origin: req.ip, action: 'photos.sync', target: date,
          details: { department: department ?? null, class: className ?? null },
        }, ctx.now());
      }
      return {
        station: ctx.stationName,
        date,
        photos: page.map((p) => ({
          sequence: p.sequence,
          sha256: p.sha256,
          bytes: p.bytes,
          acceptedAt: p.acceptedAt,
          codeText: p.codeText,
          student: p.student,
        })),
        next: photos.length > limit ? page[page.length - 1]!.sequence : null,
      };
    });

    r.get('/api/photos/:date/:sequence/file', {
      config: { access: { roles: ['admin', 'staff'] } },
      schema: { params: PhotoKey },
    }, async (req, reply) => {
      const photo = await ctx.photos.get(req.params.date, req.params.sequence);
      if (!photo) return sendError(req, reply, 'staff.not_found');
      const path = resolveInData(ctx.dataDir, photo.deliverablePath);
      return reply
        .type('image/jpeg')
        .header('etag', `"${photo.sha256}"`)
        .header('x-content-sha256', photo.sha256)
        .header('content-length', String(photo.bytes))
        .send(createReadStream(path));
    });

    r.get('/api/photos/:date/:sequence/thumbnail', {
      config: { access: { roles: ['admin', 'staff'] } },
      schema: { params: PhotoKey },
    }, async (req, reply) => {
      const photo = await ctx.photos.get(req.params.date, req.params.sequence);
      if (!photo) return sendError(req, reply, 'staff.not_found');
      // A day and sequence keep their deliverable for good (a retake gets a new sequence), so the
      // browser may keep the thumbnail for a while and then revalidate with the ETag: a cheap 304.
      const etag = thumbnails.etagFor(photo.sha256);
      reply.header('etag', etag).header('cache-control', 'private, max-age=3600');
      if (etagMatches(req.headers['if-none-match'], etag)) return reply.code(304).send();
      const thumb = await thumbnails.get(photo.sha256, resolveInData(ctx.dataDir, photo.deliverablePath));
      return reply.type('image/jpeg').send(thumb.body);
    });
  };
}
