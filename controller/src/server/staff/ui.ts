/**
 * The dashboard's built files (kiosk-ui/dist, staff.html and assets/): the page and its hashed assets, public
 * because they hold no personal data; every datum they show comes from authenticated API calls.
 * Only names of files that exist in the build are served; there is no directory listing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sendError } from './errors.ts';

const types: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  woff2: 'font/woff2',
  svg: 'image/svg+xml',
  png: 'image/png',
};

export function uiRoutes(uiDir: string) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const page = async () => readFile(join(uiDir, 'staff.html'));

    r.get('/', { config: { access: { public: true } } }, async (_req, reply) => reply.redirect('/staff.html'));
    r.get('/staff.html', { config: { access: { public: true } } }, async (req, reply) => {
      try {
        return reply.type('text/html; charset=utf-8').send(await page());
      } catch {
        return sendError(req, reply, 'staff.not_found');
      }
    });
    r.get('/assets/:file', {
      config: { access: { public: true } },
      schema: { params: Type.Object({ file: Type.String({ pattern: '^[A-Za-z0-9_-]+\\.(js|css|woff2|svg|png)$' }) }) },
    }, async (req, reply) => {
      const ext = req.params.file.split('.').pop() ?? '';
      try {
        const data = await readFile(join(uiDir, 'assets', req.params.file));
        return reply.type(types[ext] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').send(data);
      } catch {
        return sendError(req, reply, 'staff.not_found');
      }
    });
  };
}
