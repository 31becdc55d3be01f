import type { KioskView } from '../api.ts';
import type { Locale, Translate } from '../i18n.ts';
import { externalCode } from '../../../controller/src/domain/messages/index.ts';

export function Header({ t, view, online, onLocale }: { t: Translate; locale: Locale; view: KioskView | null; online: boolean; onLocale: () => void }) {
  return (
    <header class="bar">
      <div class="bar-title">
        <strong>{t('kiosk.ui.title')}</strong>
        {view && <span class="school">{view.schoolName}</span>}
      </div>
      {view?.demo && <div class="demo-banner" data-testid="demo-banner">{t('kiosk.ui.demo')}</div>}
      <div class="bar-right">
        <span class={`rig-dot ${view?.rig.ready && online ? 'ok' : 'bad'}`} title={view?.rig.reasons.map((r) => t(externalCode(r))).join(', ')} aria-label={t('kiosk.ui.rig.title')} />
        <button type="button" class="lang" data-testid="lang-toggle" onClick={onLocale}>{t('kiosk.ui.lang')}</button>
      </div>
    </header>
  );
}
