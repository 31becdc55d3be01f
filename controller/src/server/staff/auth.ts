/**
 * Who is calling and may they: every route declares its access (`public` or a list of roles) in
 * its config, and a route without one refuses to register. Credentials are a session cookie
 * (browsers) or a bearer token (scripts, `rig pull`). Also the sign-in routes with their rate limit.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { StaffRole, StaffUser } from '../../domain/staff.ts';
import { StaffRepository } from '../../store/staff/users.ts';
import { appendAudit } from '../../store/audit-log.ts';
import { bearerPrefix, decoyHash, newSessionId, secretHash, verifyPassword } from './credentials.ts';
import { sendError } from './errors.ts';
import { looksLikePath, rawPathTraverses } from './security.ts';
import type { StaffContext } from './context.ts';
import { RequestLimiter } from './request-limit.ts';

export type RouteAccess = { public: true } | { roles: readonly StaffRole[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    staff: (StaffUser & { via: 'session' | 'token' }) | null;
  }
}

export const sessionCookie = 'rig_staff';

/** Session cookies are HttpOnly and SameSite=Strict always; Secure when the listener has TLS. */
function sessionCookieOptions(secure: boolean, maxAge: number): CookieSerializeOptions {
  return { path: '/', maxAge, httpOnly: true, sameSite: 'strict', secure };
}

export interface RouteRecord {
  method: string;
  url: string;
  access: RouteAccess;
}

/**
 * Login throttle, over a sliding window: failures are counted per address and account first (a
 * guesser locks only itself out of that account), per address (one machine trying many names), and
 * per account from all addresses together (a distributed guess), where an address the account has
 * signed in from before keeps a path for the right password.
 */
export interface LoginLimits {
  windowMs: number;
  maxPerOrigin: number;
  /** failures from one address against one account */
  maxPerOriginAndName: number;
  /** failures against one account from every address together (known addresses exempt) */
  maxPerName: number;
}
export const defaultLoginLimits: LoginLimits = { windowMs: 15 * 60_000, maxPerOrigin: 20, maxPerOriginAndName: 5, maxPerName: 50 };

/** Adds the access hooks to the root instance (so they cover every plugin) and returns the route table. */
export function installAccessControl(app: FastifyInstance, ctx: StaffContext, requestsPerMinute = 6000): RouteRecord[] {
  const limiter = new RequestLimiter(requestsPerMinute);
  const routes: RouteRecord[] = [];
  app.decorateRequest('staff', null);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) throw new Error(`staff route ${String(route.method)} ${route.url} declares no access`);
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access });
  });

  const users = new StaffRepository(ctx.db);

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    if (rawPathTraverses(req.url)) return sendError(req, reply, 'staff.path_rejected');

    req.staff = await identify(req, users, ctx.now());
    // Anonymous requests spend the budget ten times faster: a pull of thousands of files by a
    // signed-in script fits, a scan of the LAN listener does not.
    const wait = limiter.hit(req.ip, ctx.now(), req.staff ? 1 : 10);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return sendError(req, reply, 'staff.rate_limited', { retryAfterSeconds: wait });
    }
    const access = req.routeOptions.config.access;
    if (!access) return; // not found: the 404 handler answers
    if (!('public' in access)) {
      if (!req.staff) return sendError(req, reply, 'staff.unauthenticated');
      if (!access.roles.includes(req.staff.role)) return sendError(req, reply, 'staff.forbidden', { role: req.staff.role });
    }
    if (req.staff?.via === 'session' && !['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !sameOrigin(req, ctx.tls)) {
      return sendError(req, reply, 'staff.origin_rejected');
    }
    const bad = suspiciousParameters(req);
    if (bad.length) return sendError(req, reply, 'staff.path_rejected', { parameters: bad });
  });

  return routes;
}

async function identify(req: FastifyRequest, users: StaffRepository, now: Date): Promise<FastifyRequest['staff']> {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const token = auth.slice('Bearer '.length).trim();
    if (!token.startsWith(bearerPrefix)) return null;
    const account = await users.userForToken(secretHash(token), now);
    return account ? { id: account.id, name: account.name, role: account.role, via: 'token' } : null;
  }
  const sid = req.cookies[sessionCookie];
  if (!sid) return null;
  const account = await users.userForSession(secretHash(sid), now);
  return account ? { id: account.id, name: account.name, role: account.role, via: 'session' } : null;
}

/** Cookie-authenticated writes must come from our own pages (SameSite=Strict is the first line). */
function sameOrigin(req: FastifyRequest, tls: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] !== 'cross-site';
  try {
    // Scheme, host and port: https://host:P is another origin than this listener's http://host:P.
    // Compared through URL so that default ports (:80, :443) written or omitted agree.
    return new URL(origin).origin === new URL(`${tls ? 'https' : 'http'}://${req.headers.host ?? ''}`).origin;
  } catch {
    return false;
  }
}

function suspiciousParameters(req: FastifyRequest): string[] {
  const bad: string[] = [];
  const check = (where: string, obj: unknown): void => {
    if (obj === null || typeof obj !== 'object') return;
    for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
      for (const v of [value].flat()) if (typeof v === 'string' && looksLikePath(v)) bad.push(`${where}.${key}`);
    }
  };
  check('params', req.params);
  check('query', req.query);
  return bad;
}

export function sessionRoutes(ctx: StaffContext, limits: LoginLimits = defaultLoginLimits) {
  const users = new StaffRepository(ctx.db);
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.post('/api/session', {
      config: { access: { public: true } },
      schema: { body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ maxLength: 1024 }) }) },
    }, async (req, reply) => {
      const now = ctx.now();
      const { name, password } = req.body;
      const since = new Date(now.getTime() - limits.windowMs);
      const failures = await users.recentFailures(name, req.ip, since);
      const throttled = failures.byOriginAndName >= limits.maxPerOriginAndName || failures.byOrigin >= limits.maxPerOrigin
        || (failures.byName >= limits.maxPerName && !(await users.signedInBefore(name, req.ip)));
      if (throttled) {
        const seconds = Math.ceil(limits.windowMs / 1000);
        reply.header('retry-after', String(seconds));
        // One row per address and account per window, not one per try: a script hammering the
        // sign-in cannot flood the log (the failures themselves stop at the per-pair limit).
        if (!(await users.throttleRecorded(name, req.ip, since))) {
          await appendAudit(ctx.db, {
            actor: name, origin: req.ip, action: 'staff.login_throttled',
            details: { failuresFromOrigin: failures.byOriginAndName, failuresForAccount: failures.byName, windowMinutes: Math.round(limits.windowMs / 60_000) },
          }, now);
        }
        return sendError(req, reply, 'staff.login_throttled', { retryAfterSeconds: seconds }, { seconds });
      }
      const account = await users.findByName(name);
      const ok = account && !account.disabled
        ? await verifyPassword(password, account.passwordHash)
        : (await verifyPassword(password, await decoyHash()), false);
      await users.recordLoginAttempt(name, req.ip, ok, now);
      if (!ok || !account) {
        await appendAudit(ctx.db, { actor: name, origin: req.ip, action: 'staff.login_failed' }, now);
        return sendError(req, reply, 'staff.login_failed');
      }
      const sid = newSessionId();
      await users.prune(now, new Date(now.getTime() - 4 * limits.windowMs));
      await users.createSession(account.id, secretHash(sid), req.ip, now, ctx.sessionLifetimeMs);
      await appendAudit(ctx.db, { actor: account.name, origin: req.ip, action: 'staff.login' }, now);
      reply.setCookie(sessionCookie, sid, sessionCookieOptions(ctx.tls, Math.floor(ctx.sessionLifetimeMs / 1000)));
      return { user: { name: account.name, role: account.role } };
    });

    r.get('/api/session', { config: { access: { roles: ['admin', 'staff', 'technician'] } } }, async (req) => {
      const staff = req.staff!;
      return { user: { name: staff.name, role: staff.role } };
    });

    r.delete('/api/session', { config: { access: { roles: ['admin', 'staff', 'technician'] } } }, async (req, reply) => {
      const sid = req.cookies[sessionCookie];
      if (sid) await users.deleteSession(secretHash(sid));
      await appendAudit(ctx.db, { actor: req.staff!.name, origin: req.ip, action: 'staff.logout' }, ctx.now());
      reply.setCookie(sessionCookie, '', sessionCookieOptions(ctx.tls, 0));
      return { ok: true };
    });
  };
}
