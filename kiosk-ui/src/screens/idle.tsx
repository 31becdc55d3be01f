/** Idle: scan (keyboard wedge) or type an ID number on the on-screen keypad. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { demoRoster, type DemoEntry, type KioskView } from '../api.ts';
import type { Locale, Translate } from '../i18n.ts';
import type { Send } from '../send.ts';

/** A scanner types a whole code in a burst; a pause this long starts a new code (a half-read code is dropped). */
const WEDGE_MAX_GAP_MS = 500;
const ID_LENGTH = 18;

export function Idle({ t, locale, view, send }: { t: Translate; locale: Locale; view: KioskView; send: Send }) {
  const [keypad, setKeypad] = useState(false);
  const [demo, setDemo] = useState<DemoEntry[]>([]);
  const buffer = useRef({ text: '', last: 0 });

  useEffect(() => {
    if (view.demo) demoRoster().then(setDemo, () => setDemo([]));
  }, [view.demo]);

  // A layout effect, not a passive one: the listener must be in place by the time the idle screen is
  // on the page, or the first keystrokes of a scan that starts right then are lost.
  useLayoutEffect(() => {
    if (keypad) return;
    const onKey = (e: KeyboardEvent): void => {
      const b = buffer.current;
      // When the key arrived, not when it is handled: a kiosk busy for a moment (a long frame, a
      // loaded machine) handles a queued burst late, but its keys still arrived milliseconds apart.
      const now = e.timeStamp;
      if (now - b.last > WEDGE_MAX_GAP_MS) b.text = '';
      b.last = now;
      if (e.key === 'Enter') {
        const code = b.text;
        b.text = '';
        if (code.length >= 4) send('scan', { code });
        e.preventDefault();
      } else if (e.key.length === 1) {
        b.text += e.key;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keypad]);

  return (
    <section class="idle">
      <div class="scan-art" aria-hidden="true">
        <svg viewBox="0 0 120 120" width="160" height="160">
          <rect x="10" y="10" width="100" height="100" rx="12" fill="none" stroke="currentColor" stroke-width="6" />
          <path d="M30 40h10v40H30zM48 40h4v40h-4zM58 40h10v40H58zM74 40h4v40h-4zM84 40h6v40h-6z" fill="currentColor" />
          <line class="scan-line" x1="18" x2="102" y1="60" y2="60" stroke="#e4572e" stroke-width="3" />
        </svg>
      </div>
      <h1 class="prompt">{t('kiosk.ui.idle.prompt')}</h1>
      <p class="or">{t('kiosk.ui.idle.or')}</p>
      <button type="button" class="primary big" data-testid="open-keypad" onClick={() => setKeypad(true)}>{t('kiosk.ui.idle.keypad')}</button>
      {view.demo && demo.length > 0 && (
        <div class="demo-list">
          <table>
            <tbody>
              {demo.map((d) => (
                <tr key={d.collectionCode}>
                  <td>{d.name}</td>
                  <td class="mono">{d.collectionCode}</td>
                  <td class="mono">{d.idNumber}</td>
                  <td>{d.note[locale]}</td>
                  <td><button type="button" class="small" data-demo-code={d.collectionCode} onClick={() => send('scan', { code: d.collectionCode })}>▶</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {keypad && <Keypad t={t} onClose={() => setKeypad(false)} onSubmit={(code) => { setKeypad(false); send('scan', { code }); }} />}
    </section>
  );
}

function Keypad({ t, onClose, onSubmit }: { t: Translate; onClose: () => void; onSubmit: (code: string) => void }) {
  const [text, setText] = useState('');
  const press = (k: string): void => setText((s) => (s.length < ID_LENGTH ? s + k : s));
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0'];
  return (
    <div class="overlay" role="dialog" aria-modal="true">
      <div class="keypad" data-testid="keypad">
        <div class="keypad-display mono" data-testid="keypad-display">{text || '\u00a0'}<span class="count">{text.length}/{ID_LENGTH}</span></div>
        <div class="keys">
          {keys.map((k) => (
            <button type="button" key={k} class="key" data-key={k} onClick={() => press(k)}>{k}</button>
          ))}
          <button type="button" class="key" data-key="back" aria-label={t('kiosk.ui.keypad.back')} onClick={() => setText((s) => s.slice(0, -1))}>⌫</button>
        </div>
        <div class="row">
          <button type="button" class="secondary" onClick={onClose}>{t('kiosk.ui.keypad.close')}</button>
          <button type="button" class="secondary" onClick={() => setText('')}>{t('kiosk.ui.keypad.clear')}</button>
          <button type="button" class="primary" data-testid="keypad-ok" disabled={text.length === 0} onClick={() => onSubmit(text)}>{t('kiosk.ui.keypad.ok')}</button>
        </div>
      </div>
    </div>
  );
}
