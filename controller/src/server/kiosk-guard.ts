/**
 * Only the kiosk page may drive the kiosk. The listener is on loopback, but any page the kiosk PC's
 * browser opens can reach loopback too (another local service, a DNS-rebinding site), so every
 * request is checked:
 * - the peer is loopback (an unknown peer address is not);
 * - Host names the listener the request arrived on (loopback name or address, the listener's port):
 *   a rebinding site's name is refused;
 * - a browser's Origin, when sent, is the kiosk's own (scheme, host and port), and Sec-Fetch-Site is
 *   not cross-site or same-site (another port on 127.0.0.1 is "same-site"): this covers the commands,
 *   the SSE stream, the preview WebSocket and the photo under review;
 * - a state-changing request carries a JSON body (`{}` when there is nothing to say), which no
 *   simple cross-origin request can.
 * Requests without Origin (a script on the kiosk PC) pass the origin check; they still need JSON.
 */
import type { FastifyRequest } from 'fastify';

export type KioskGuardCode = 'kiosk.forbidden' | 'kiosk.host_rejected' | 'kiosk.origin_rejected' | 'kiosk.content_type';

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The Host header's name and port, lower-cased, IPv6 in brackets; null when it does not parse. */
function parseHost(host: string | undefined): { name: string; port: number } | null {
  if (!host) return null;
  try {
    const u = new URL(`http://${host}`);
    if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return null;
    return { name: u.hostname.toLowerCase(), port: u.port === '' ? 80 : Number(u.port) };
  } catch {
    return null;
  }
}

/** Names under which the listener at `localAddress` may be addressed. */
function listenerNames(localAddress: string | undefined): Set<string> {
  const names = new Set(['localhost']);
  if (localAddress) {
    const a = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
    names.add(a.includes(':') ? `[${a}]` : a);
  }
  return names;
}

/** Why the request is refused, or null. */
export function kioskRequestRefusal(req: FastifyRequest): KioskGuardCode | null {
  const socket = req.raw.socket;
  if (!isLoopback(socket.remoteAddress)) return 'kiosk.forbidden';
  const host = parseHost(req.headers.host);
  if (!host) return 'kiosk.host_rejected';
  // inject() has no real socket: there is no listener port to compare with.
  const localPort = socket.localPort;
  if (localPort !== undefined && (host.port !== localPort || !listenerNames(socket.localAddress).has(host.name))) return 'kiosk.host_rejected';
  if (localPort === undefined && !listenerNames(undefined).has(host.name) && !isLoopback(host.name.replace(/^\[|\]$/g, ''))) return 'kiosk.host_rejected';

  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'kiosk.origin_rejected';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host!.toLowerCase()}`) {
    // Compared as origins (scheme + host + port), so http://localhost and http://localhost:80 agree.
    let same = false;
    try {
      same = new URL(origin).origin === new URL(`http://${req.headers.host!}`).origin;
    } catch {
      same = false;
    }
    if (!same) return 'kiosk.origin_rejected';
  }
  if (!SAFE_METHODS.has(req.method)) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return 'kiosk.content_type';
  }
  return null;
}
