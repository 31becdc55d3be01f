/** The staff dashboard: sign-in, then pages chosen by the URL hash. */
import { api, ApiError } from './api.ts';
import { detach, el, replace } from './dom.ts';
import { t, toggleLocale } from './i18n.ts';
import { auditPage, overridePage, photosPage, progressPage, rosterPage, searchPage } from './pages.ts';
import { certificatePrintPage, makeupsPage } from './makeups.ts';
import { schedulePage } from './schedule.ts';
import { discrepanciesPage } from './discrepancies.ts';
import { identityPage } from './identity.ts';
import { calibrationPage } from './calibration.ts';
import { devicesPage } from './devices.ts';
import { roomPage } from './room.ts';
import type { MessageCode } from '../../../controller/src/domain/messages/index.ts';

interface Me { user: { name: string; role: 'admin' | 'staff' | 'technician' } }

const root = document.getElementById('app')!;
let me: Me['user'] | null = null;

const pages: Array<{ hash: string; label: MessageCode; roles: string[]; render: (main: HTMLElement, arg?: string) => Promise<void> }> = [
  { hash: 'progress', label: 'staff.ui.progress', roles: ['admin', 'staff'], render: progressPage },
  { hash: 'photos', label: 'staff.ui.photos', roles: ['admin', 'staff'], render: photosPage },
  { hash: 'search', label: 'staff.ui.search', roles: ['admin', 'staff'], render: searchPage },
  { hash: 'roster', label: 'staff.ui.roster', roles: ['admin', 'staff'], render: rosterPage },
  { hash: 'schedule', label: 'staff.ui.schedule', roles: ['admin', 'staff'], render: schedulePage },
  { hash: 'makeups', label: 'staff.ui.makeups', roles: ['admin', 'staff'], render: makeupsPage },
  { hash: 'discrepancies', label: 'staff.ui.discrepancies', roles: ['admin', 'staff'], render: discrepanciesPage },
  { hash: 'identity', label: 'staff.ui.identity', roles: ['admin', 'staff'], render: identityPage },
  { hash: 'override', label: 'staff.ui.override', roles: ['admin', 'staff'], render: overridePage },
  { hash: 'audit', label: 'staff.ui.audit', roles: ['admin'], render: auditPage },
  { hash: 'calibration', label: 'calibration.ui.title', roles: ['technician', 'admin'], render: calibrationPage },
  { hash: 'devices', label: 'staff.ui.devices', roles: ['admin', 'staff', 'technician'], render: devicesPage },
  { hash: 'room', label: 'staff.ui.room_status', roles: ['admin', 'staff', 'technician'], render: roomPage },
];

function loginForm(problem?: string): void {
  const name = el('input', { name: 'name', autocomplete: 'username', required: true });
  const password = el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = el('p', { class: 'error', role: 'alert' }, problem ?? '');
  const form = el('form', { class: 'login', onsubmit: (e: Event) => {
    e.preventDefault();
    api<Me>('POST', '/api/session', { name: name.value, password: password.value })
      .then((r) => { me = r.user; location.hash = '#progress'; detach(render()); })
      .catch((err: unknown) => replace(error, err instanceof ApiError ? err.message : String(err)));
  } },
  el('h1', {}, t('staff.ui.title')),
  el('label', {}, t('staff.ui.name'), name),
  el('label', {}, t('staff.ui.password'), password),
  el('button', { type: 'submit' }, t('staff.ui.login')),
  error);
  replace(root, form);
}

interface RoomHold { held: boolean; hold: { reasons: string[]; since: string } | null }

/** A photo's room fault holds the kiosk's capture: every role sees it here and can release it once fixed. */
function roomBanner(): HTMLElement {
  const banner = el('div', { id: 'room-hold', class: 'error', role: 'alert', hidden: true });
  const draw = (room: RoomHold) => {
    banner.hidden = !room.held;
    if (!room.hold) return replace(banner);
    const reasons = room.hold.reasons.map((r) => t(r as MessageCode)).join('；');
    replace(banner, t('staff.ui.room_held', { since: new Date(room.hold.since).toLocaleTimeString(), reasons }),
      el('button', { type: 'button', onclick: () => detach(api<RoomHold>('POST', '/api/room/release').then(draw)) }, t('staff.ui.room_release')));
  };
  // Not served where the kiosk runs in another process (503): no banner then.
  detach(api<RoomHold>('GET', '/api/room').then(draw, () => undefined));
  return banner;
}

async function render(): Promise<void> {
  if (!me) {
    try {
      me = (await api<Me>('GET', '/api/session')).user;
    } catch {
      return loginForm();
    }
  }
  const [hash = 'progress', arg] = location.hash.replace(/^#/, '').split('/');
  const allowed = pages.filter((p) => p.roles.includes(me!.role));
  const main = el('main', { id: 'page' });
  if (hash === 'certificate' && arg) {
    replace(root, main);
    document.body.classList.add('print-view');
    return certificatePrintPage(main, arg);
  }
  document.body.classList.remove('print-view');
  const nav = el('nav', {},
    ...allowed.map((p) => el('a', { href: `#${p.hash}`, class: p.hash === hash ? 'current' : '' }, t(p.label))),
    el('span', { class: 'who' }, `${me.name} (${me.role})`),
    el('button', { type: 'button', onclick: () => { toggleLocale(); detach(render()); } }, t('staff.ui.language')),
    el('button', { type: 'button', onclick: () => {
      detach(api('DELETE', '/api/session').finally(() => { me = null; detach(render()); }));
    } }, t('staff.ui.logout')));
  replace(root, nav, roomBanner(), main);
  const page = allowed.find((p) => p.hash === hash) ?? allowed[0];
  if (!page) return;
  try {
    await page.render(main, arg);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { me = null; return loginForm(); }
    replace(main, el('p', { class: 'error', role: 'alert' }, err instanceof Error ? err.message : String(err)));
  }
}

window.addEventListener('hashchange', () => detach(render()));
detach(render());
