/** The kiosk screens: one per session state, driven by the state stream from the controller. */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { command, watchState, type ApiFailure, type KioskView } from './api.ts';
import { translator, type Locale } from './i18n.ts';
import { Header } from './screens/header.tsx';
import { Idle } from './screens/idle.tsx';
import { Busy, Confirm, Dress, Receipt, Refused, SeeStaff } from './screens/steps.tsx';
import { PoseAndCountdown } from './screens/pose.tsx';
import { Review } from './screens/review.tsx';
import type { Send } from './send.ts';
import './styles.css';
import { externalCode } from '../../controller/src/domain/messages/index.ts';

/** Refusals the screen itself shows as a notice (the state stream carries them): no toast on top. */
const shownOnScreen = new Set(['kiosk.rig.not_ready', 'kiosk.accept.failed_photo']);


/** Screens waiting for the student: a hint appears in the last seconds before the kiosk gives up. */
const waitingStates = new Set(['confirm', 'refused', 'dress', 'pose', 'review', 'receipt', 'see-staff']);
const HINT_MS = 10_000;

function TimeoutHint({ t, view }: { t: ReturnType<typeof translator>; view: KioskView }) {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    if (view.remainingMs === null || !waitingStates.has(view.state)) return setLeft(null);
    const end = performance.now() + view.remainingMs;
    const tick = (): void => setLeft(end - performance.now());
    tick();
    const timer = setInterval(tick, 500);
    return () => clearInterval(timer);
  }, [view.version, view.remainingMs, view.state]);
  if (left === null || left > HINT_MS) return null;
  return <div class="timeout-hint" data-testid="timeout-hint">{t('kiosk.ui.timeout', { n: Math.max(0, Math.ceil(left / 1000)) })}</div>;
}

function App() {
  const [view, setView] = useState<KioskView | null>(null);
  const [locale, setLocale] = useState<Locale>('zh');
  const [toast, setToast] = useState<ApiFailure | null>(null);
  const [online, setOnline] = useState(true);
  const lastState = useRef<string>('loading');

  // A late answer must not undo a newer event; a restarted service starts counting again.
  const accept = (v: KioskView): void => setView((cur) => (!cur || v.instance !== cur.instance || v.version >= cur.version ? v : cur));
  useEffect(() => watchState(accept, setOnline), []);

  const state = view?.state ?? 'loading';
  useEffect(() => {
    const root = document.getElementById('app');
    if (root) root.dataset.kioskState = state;
    // The next student starts in Chinese, whatever the last one chose.
    if (state === 'idle' && lastState.current !== 'idle' && lastState.current !== 'loading') setLocale('zh');
    lastState.current = state;
  }, [state]);
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }, [locale]);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 4000);
    return () => clearTimeout(timer);
  }, [toast]);

  const send: Send = (path, body) => {
    command(path, body).then(
      (r) => {
        if (r.ok) {
          accept(r.view);
          setToast(null);
        } else if (!shownOnScreen.has(r.error.code)) setToast(r.error);
      },
      () => setToast({ code: 'kiosk.internal', reasons: [], params: {} }),
    );
  };
  const t = translator(locale);

  let screen = null;
  if (view) {
    switch (view.state) {
      case 'idle': screen = <Idle t={t} locale={locale} view={view} send={send} />; break;
      case 'confirm': screen = <Confirm t={t} view={view} send={send} />; break;
      case 'refused': screen = <Refused t={t} view={view} send={send} />; break;
      case 'dress': screen = <Dress t={t} send={send} />; break;
      case 'pose':
      case 'countdown': screen = <PoseAndCountdown t={t} view={view} send={send} />; break;
      case 'review': screen = <Review t={t} locale={locale} view={view} send={send} />; break;
      case 'receipt': screen = <Receipt t={t} view={view} send={send} />; break;
      case 'see-staff': screen = <SeeStaff t={t} view={view} send={send} />; break;
      case 'identify': screen = <Busy text={t('kiosk.ui.identify.wait')} />; break;
      case 'capture': screen = <Busy text={t('kiosk.ui.capture.wait')} flash />; break;
      case 'validate': screen = <Busy text={t('kiosk.ui.validate.wait')} />; break;
      case 'store': screen = <Busy text={t('kiosk.ui.store.wait')} />; break;
    }
  }
  return (
    <div class={`kiosk kiosk-${state}`}>
      <Header t={t} locale={locale} view={view} online={online} onLocale={() => setLocale(locale === 'zh' ? 'en' : 'zh')} />
      <main class="screen">{screen ?? <Busy text="…" />}</main>
      {view && <TimeoutHint t={t} view={view} />}
      {toast && (
        <div class="toast" role="alert" data-code={toast.code}>
          {t(externalCode(toast.code), toast.params)}
          {toast.reasons.length > 0 && <span class="toast-reasons">{toast.reasons.map((r) => t(externalCode(r))).join(t('kiosk.ui.list_sep'))}</span>}
        </div>
      )}
    </div>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
