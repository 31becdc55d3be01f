/**
 * Browser-facing hardening of the staff listener: security headers with a strict CSP, cookie
 * parsing and writing, and the path-traversal guard every parameter passes through.
 */
import type { FastifyReply } from 'fastify';

/** Nothing inline, nothing foreign: the dashboard is same-origin scripts and styles only. */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function setSecurityHeaders(reply: FastifyReply, tls: boolean): void {
  reply.header('content-security-policy', contentSecurityPolicy);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  reply.header('x-permitted-cross-domain-policies', 'none');
  if (tls) reply.header('strict-transport-security', 'max-age=31536000');
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

/** Session cookies are HttpOnly and SameSite=Strict always; Secure when the listener has TLS. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', `Max-Age=${options.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * True when a parameter value could address a file outside where it is meant to: `..` segments,
 * separators, NUL, absolute or drive paths, home references. Checked on decoded values, so `%2e%2e%2f`
 * and double encodings that decode to them are caught too.
 */
export function looksLikePath(value: string): boolean {
  let v = value;
  // Double-encoded input (%252e) decodes to %2e once; decode until stable, a few rounds at most.
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(v); i++) {
    try {
      v = decodeURIComponent(v);
    } catch {
      return true;
    }
  }
  return (
    /(^|[/\\])\.\.([/\\]|$)/.test(v) ||
    /[/\\\0]/.test(v) ||
    /^[A-Za-z]:/.test(v) ||
    v.startsWith('~') ||
    v === '..'
  );
}

/** The raw request path holds a `..` segment, plain or percent-encoded. */
export function rawPathTraverses(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path.split('/').some((segment) => {
    let s = segment;
    for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(s); i++) {
      try {
        s = decodeURIComponent(s);
      } catch {
        return true;
      }
    }
    return s.split(/[/\\]/).includes('..') || s.includes('\0');
  });
}
