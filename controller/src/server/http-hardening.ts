/**
 * One browser-facing header policy for both listeners (kiosk on loopback, staff on the LAN), from
 * @fastify/helmet, and cookie parsing and writing from @fastify/cookie. Registered on the root
 * instance before any route, so 404s and refusals from earlier hooks carry the headers too.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Nothing inline, nothing foreign: both UIs are same-origin scripts and style sheets (styles set from
 * script through the DOM are not inline markup). Previews and thumbnails arrive as blob: or data: URLs.
 */
export const contentSecurityPolicy = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'blob:', 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
};

/** Neither UI uses these browser features; a page that is ever subverted cannot ask for them either. */
const permissionsPolicy = 'camera=(), microphone=(), geolocation=(), payment=()';

/** One year, as browsers' preload lists expect; only sent where the listener speaks TLS. */
const HSTS_MAX_AGE_SECONDS = 31_536_000;

export async function hardenHttp(app: FastifyInstance, options: { tls: boolean }): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    hsts: options.tls ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false } : false,
  });
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('permissions-policy', permissionsPolicy);
  });
  await app.register(fastifyCookie);
}
