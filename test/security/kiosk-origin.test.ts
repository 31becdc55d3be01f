/**
 * Only the kiosk page may drive the kiosk. A page served from a second loopback origin, in real
 * Chromium, tries every route: simple POSTs (no body, text/plain), a JSON POST (preflighted), the
 * preview WebSocket, the SSE stream and the photo under review. None changes the session or gets a
 * byte of a student's face; the kiosk's own page still can. Host and Origin are also checked with
 * plain HTTP clients (DNS rebinding, Origin: null on the WebSocket).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';

let k: TestKiosk;
let browser: Browser;
let attacker: Server;
let attackerUrl: string;

beforeAll(async () => {
  k = await startTestKiosk({});
  browser = await launchChromium();
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>elsewhere</title><p>another local page</p>');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  attacker?.closeAllConnections();
  await new Promise((r) => attacker?.close(r));
  // Closing also proves the refused WebSocket upgrades left no socket open.
  await k?.close();
});

interface Probe {
  posts: Record<string, string>;
  wsFrames: number;
  wsOpened: boolean;
  sseMessages: number;
  imageLoaded: boolean;
}

/** Runs in the page: tries everything against the kiosk for `ms` milliseconds and reports what got through. */
async function probe({ kiosk, code, ms }: { kiosk: string; code: string; ms: number }): Promise<Probe> {
  const posts: Record<string, string> = {};
  const attempt = async (name: string, init: RequestInit, path: string) => {
    try {
      const res = await fetch(kiosk + path, init);
      posts[name] = res.type === 'opaque' ? 'opaque' : String(res.status);
    } catch (err) {
      posts[name] = `blocked: ${(err as Error).name}`;
    }
  };
  await attempt('scan-text', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ code }) }, '/api/kiosk/scan');
  await attempt('capture-empty', { method: 'POST', mode: 'no-cors' }, '/api/kiosk/capture');
  await attempt('accept-form', { method: 'POST', mode: 'no-cors', body: new URLSearchParams({ a: '1' }) }, '/api/kiosk/accept');
  await attempt('cancel-json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, '/api/kiosk/cancel');
  let wsFrames = 0;
  let wsOpened = false;
  // window.WebSocket: the browser's own (the test module imports `ws` under the same name).
  const ws = new window.WebSocket(kiosk.replace('http', 'ws') + '/api/kiosk/preview');
  ws.onopen = () => { wsOpened = true; };
  ws.onmessage = () => { wsFrames++; };
  let sseMessages = 0;
  const es = new EventSource(kiosk + '/api/kiosk/events');
  es.onmessage = () => { sseMessages++; };
  const imageLoaded = await new Promise<boolean>((resolve) => {
    const img = new Image();
    img.onload = () => resolve(true);
    img.onerror = () => resolve(false);
    img.src = kiosk + '/api/kiosk/review/original.jpg';
  });
  await new Promise((r) => setTimeout(r, ms));
  ws.close();
  es.close();
  return { posts, wsFrames, wsOpened, sseMessages, imageLoaded };
}

async function toPose(): Promise<void> {
  const student = k.runtime.demoStudents[0]!;
  expect((await k.api('POST', '/api/kiosk/scan', { code: student.collectionCode })).status).toBe(200);
  await k.waitFor('confirm');
  await k.api('POST', '/api/kiosk/confirm', {});
  await k.api('POST', '/api/kiosk/confirm', {});
  await k.waitFor('pose');
}

function raw(path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${k.url}${path}`, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the kiosk API answers only the kiosk page', () => {
  it('gives a page from another loopback origin no command, no preview frame, no event and no photo', async () => {
    await toPose();
    const page = await browser.newPage();
    try {
      await page.goto(attackerUrl);
      const result = await page.evaluate(probe, { kiosk: k.url, code: k.runtime.demoStudents[1]!.collectionCode, ms: 3000 });
      console.log(`from ${attackerUrl}: ${JSON.stringify(result)}`);
      const view = (await k.api<KioskView>('GET', '/api/kiosk/state')).body;
      // Nothing moved the session: still posing for the same student.
      expect(view.state).toBe('pose');
      expect(result).toMatchObject({ wsFrames: 0, wsOpened: false, sseMessages: 0, imageLoaded: false });
    } finally {
      await page.close();
      await k.api('POST', '/api/kiosk/cancel', {});
    }
  }, 60_000);

  it('lets the kiosk page itself do all of it', async () => {
    await toPose();
    const page = await browser.newPage();
    try {
      await page.goto(`${k.url}/`);
      const result = await page.evaluate(probe, { kiosk: k.url, code: 'NOBODY', ms: 1500 });
      console.log(`from the kiosk's own origin: ${JSON.stringify(result)}`);
      expect(result.posts['cancel-json']).toBe('200');
      expect(result.sseMessages).toBeGreaterThan(0);
      expect(result.wsOpened).toBe(true);
    } finally {
      await page.close();
      await k.api('POST', '/api/kiosk/cancel', {});
    }
  }, 60_000);

  it('refuses a foreign Host (DNS rebinding), foreign and null Origins, and POSTs that are not JSON', async () => {
    const port = new URL(k.url).port;
    expect(await raw('/api/kiosk/state', { host: `attacker.example:${port}` })).toBe(421);
    expect(await raw('/api/kiosk/state', { host: `127.0.0.1:${Number(port) + 1}` })).toBe(421);
    expect(await raw('/api/kiosk/state', { host: `localhost:${port}` })).toBe(200);
    expect(await raw('/api/kiosk/cancel', { 'content-type': 'application/json', origin: 'http://127.0.0.1:1' }, 'POST', '{}')).toBe(403);
    expect(await raw('/api/kiosk/cancel', { 'content-type': 'application/json', origin: `https://127.0.0.1:${port}` }, 'POST', '{}')).toBe(403);
    expect(await raw('/api/kiosk/cancel', { 'content-type': 'text/plain' }, 'POST', '{}')).toBe(415);
    expect(await raw('/api/kiosk/cancel', {}, 'POST')).toBe(415);
    // A script on the kiosk PC (no Origin) may still drive it with JSON.
    expect(await raw('/api/kiosk/scan', { 'content-type': 'application/json' }, 'POST', '{"code":"NOBODY-1"}')).toBe(200);
    expect(await raw('/api/kiosk/cancel', { 'content-type': 'application/json' }, 'POST', '{}')).toBe(200);
    expect(await raw('/api/kiosk/events', { origin: 'http://evil.example' })).toBe(403);
    for (const origin of ['null', 'http://127.0.0.1:1', 'http://evil.example']) {
      const outcome = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${k.url.replace('http', 'ws')}/api/kiosk/preview`, { origin });
        ws.on('open', () => { ws.close(); resolve('open'); });
        ws.on('unexpected-response', (_req, res) => { resolve(String(res.statusCode)); ws.terminate(); });
        ws.on('error', () => resolve('error'));
      });
      expect({ origin, outcome }).toEqual({ origin, outcome: '403' });
    }
    const own = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${k.url.replace('http', 'ws')}/api/kiosk/preview`, { origin: k.url.replace(/\/$/, '') });
      ws.on('open', () => { ws.close(); resolve('open'); });
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
    expect(own).toBe('open');
  });
});
