/**
 * Pose and countdown: the live preview (JPEG frames over a WebSocket, drawn on a canvas) with the
 * head-oval, hair and eye-line guides, the shutter button, and the countdown over the same preview so
 * the stream is not interrupted between the two states. The guides come with the state
 * (`view.guides`): the validator's profile bands placed in the live view, never constants here.
 *
 * A live view that stops without the service saying why (the socket dropped, frames held up on the
 * way) is not left frozen: after STALL_MS without a frame the last frame is replaced by a notice, the
 * socket is opened again, and the picture comes back with the next frame.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { KioskView } from '../api.ts';
import type { Translate } from '../i18n.ts';
import type { Send } from '../send.ts';
import { externalCode } from '../../../controller/src/domain/messages/index.ts';
import { liveViewWindow } from '../../../controller/src/domain/photo/live-view-guides.ts';

type Guides = KioskView['guides'];

const W = 480;
const H = 640;
/** No frame for this long is a stalled live view (the kiosk must say so within 2 s, never show a frozen frame). */
const STALL_MS = 1500;
/** Wait before opening a dropped preview socket again. */
const REOPEN_MS = 500;

/** The guides over the 3:4 live view, scaled from the view's fractions to the canvas. */
function GuideMarks({ g }: { g: Guides }) {
  const band = (b: { from: number; to: number }, kind: string, stroke: string) => (
    <rect data-guide={kind} x="0" y={b.from * H} width={W} height={(b.to - b.from) * H} fill="rgba(255,255,255,0.14)" stroke={stroke} stroke-dasharray="10 8" stroke-width="2" />
  );
  return (
    <svg class="guides" viewBox={`0 0 ${W} ${H}`} aria-hidden="true" data-testid="guides">
      {band(g.hairTop, 'hair-top', 'rgba(255,255,255,0.6)')}
      {band(g.eyeLine, 'eye-line', 'rgba(255,255,255,0.9)')}
      <ellipse data-guide="head" cx={g.head.cx * W} cy={g.head.cy * H} rx={g.head.rx * W} ry={g.head.ry * H} fill="none" stroke="#fff" stroke-width="4" stroke-dasharray="14 10" />
    </svg>
  );
}

function LivePreview({ guides, t }: { guides: Guides; t: Translate }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [stalled, setStalled] = useState(false);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    let ws: WebSocket | null = null;
    let ended = false;
    let reopen: number | undefined;
    let frames = 0;
    let drawing = false;
    let lastFrame = performance.now();
    let isStalled = false;
    const recent: number[] = [];
    const markStalled = (s: boolean): void => {
      if (s === isStalled) return;
      isStalled = s;
      c.dataset.stalled = String(s);
      // The frozen frame goes: nobody poses against a picture that no longer moves.
      if (s) ctx.clearRect(0, 0, W, H);
      setStalled(s);
    };
    const open = (): void => {
      const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/kiosk/preview`);
      ws = socket;
      socket.binaryType = 'blob';
      socket.onmessage = (e: MessageEvent<Blob>) => {
        // Drop a frame rather than queue decodes behind a slow one: the newest frame is the truth.
        if (drawing) return;
        drawing = true;
        createImageBitmap(e.data)
          .then((bmp) => {
            // Cover the 3:4 canvas without stretching: a 3:2 live view is cropped at its sides.
            const win = liveViewWindow(bmp.width, bmp.height);
            ctx.drawImage(bmp, win.x, win.y, win.w, win.h, 0, 0, W, H);
            bmp.close();
            frames++;
            const now = performance.now();
            lastFrame = now;
            markStalled(false);
            recent.push(now);
            while (recent.length && (recent[0] ?? 0) < now - 1000) recent.shift();
            c.dataset.frames = String(frames);
            c.dataset.fps = String(recent.length);
          })
          .catch(() => undefined)
          .finally(() => (drawing = false));
      };
      socket.onclose = () => {
        if (!ended) reopen = window.setTimeout(open, REOPEN_MS);
      };
    };
    open();
    // Each check looks at the clock itself: no check relies on an earlier one having run.
    const watch = window.setInterval(() => markStalled(performance.now() - lastFrame > STALL_MS), 250);
    return () => {
      ended = true;
      window.clearInterval(watch);
      window.clearTimeout(reopen);
      ws?.close();
    };
  }, []);
  return (
    <div class="preview">
      <canvas ref={canvas} width={W} height={H} data-testid="preview" data-frames="0" data-stalled="false" />
      {stalled
        ? <div class="stalled camera-lost" data-testid="preview-stalled" role="status">{t('kiosk.preview.stalled')}</div>
        : <GuideMarks g={guides} />}
    </div>
  );
}

function Countdown({ ms }: { ms: number }) {
  const [left, setLeft] = useState(ms);
  useEffect(() => {
    const end = performance.now() + ms;
    const timer = setInterval(() => setLeft(Math.max(0, end - performance.now())), 100);
    return () => clearInterval(timer);
  }, [ms]);
  return <div class="countdown" data-testid="countdown">{Math.max(1, Math.ceil(left / 1000))}</div>;
}

export function PoseAndCountdown({ t, view, send }: { t: Translate; view: KioskView; send: Send }) {
  const counting = view.state === 'countdown';
  return (
    <section class="pose">
      <h1>{counting ? t('kiosk.ui.countdown.title') : t('kiosk.ui.pose.title')}</h1>
      <div class="preview-wrap">
        {view.camera.connected
          ? <LivePreview guides={view.guides} t={t} />
          : <div class="preview camera-lost" data-testid="camera-lost" role="status">{t('kiosk.camera.disconnected')}</div>}
        {counting && view.countdownMs !== null && <Countdown ms={view.countdownMs} />}
      </div>
      {view.notice && (
        <p class="reason" data-reason={view.notice.code}>
          {view.notice.reasons && view.notice.reasons.length > 0
            ? t('kiosk.ui.because', { what: t(externalCode(view.notice.code), view.notice.params ?? {}), why: view.notice.reasons.map((r) => t(externalCode(r))).join(t('kiosk.ui.list_sep')) })
            : t(externalCode(view.notice.code), view.notice.params ?? {})}
        </p>
      )}
      {!counting && (
        <div class="row">
          <button type="button" class="secondary big" onClick={() => send('cancel')}>{t('kiosk.ui.cancel')}</button>
          <button type="button" class="primary big shutter" data-testid="shutter" disabled={!view.camera.connected} onClick={() => send('capture')}>{t('kiosk.ui.pose.shoot')}</button>
        </div>
      )}
    </section>
  );
}
