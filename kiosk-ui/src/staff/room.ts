/** 拍摄环境: readiness with its reasons, every sensor reading with its age, the firmware's health; refreshed every second while shown. */
import { api } from './api.ts';
import { el, replace, table, type Child } from './dom.ts';
import { t } from './i18n.ts';
import { externalCode } from '../../../controller/src/domain/messages/index.ts';
import type { RoomStatus } from '../../../controller/src/server/staff/room-status.ts';

const refreshMs = 1000;

function age(now: number, at: number | undefined): string {
  return at === undefined ? '' : ((now - at) / 1000).toFixed(1);
}

function draw(main: HTMLElement, s: RoomStatus): void {
  const r = s.readings;
  const none = t('staff.ui.room_none');
  const row = (label: string, key: string, value: Child, at: number | undefined): Child[] => [el('span', { 'data-sensor': key }, label), value ?? none, age(s.now, at)];
  const rows: Child[][] = [
    row(t('staff.ui.room_door'), 'door', r.door ? t(r.door.value === 'open' ? 'staff.ui.room_door_open' : 'staff.ui.room_door_closed') : none, r.door?.at),
    row(t('staff.ui.room_daylight'), 'daylight', r.daylightRaw?.value ?? none, r.daylightRaw?.at),
    row(t('staff.ui.room_subject_lux'), 'subject', r.subjectLux?.value ?? none, r.subjectLux?.at),
    row(t('staff.ui.room_seat'), 'seat', r.seat ? t(r.seat.value === 'occupied' ? 'staff.ui.room_seat_occupied' : 'staff.ui.room_seat_empty') : none, r.seat?.at),
    row(t('staff.ui.room_temperature'), 'temperature', r.boardTemperatureC?.value.toFixed(1) ?? none, r.boardTemperatureC?.at),
    ...Object.entries(r.lights).map(([ch, v]) => row(t('staff.ui.room_light', { channel: ch }), `light-${ch}`, v ? Math.round(v.value) : none, v?.at)),
  ];
  const h = s.health;
  const health = h
    ? table([t('staff.ui.room_firmware'), t('staff.ui.room_uptime'), t('staff.ui.room_watchdog'), t('staff.ui.room_heartbeat'), t('staff.ui.room_standby')],
      [[h.firmware, h.uptimeS, h.watchdogResets, age(s.now, h.lastHeartbeatAt), t(h.standby ? 'staff.ui.room_yes' : 'staff.ui.room_no')]])
    : el('p', {}, t('staff.ui.room_firmware_none'));
  replace(main,
    el('h1', {}, t('staff.ui.room_status')),
    el('p', { class: s.readiness.ready ? 'room-ready' : 'room-not-ready error', 'data-ready': String(s.readiness.ready), role: 'status' },
      t(s.readiness.ready ? 'staff.ui.room_ready' : 'staff.ui.room_not_ready')),
    el('ul', { class: 'room-reasons' }, ...s.readiness.reasons.map((code) => el('li', { 'data-reason': code }, t(externalCode(code)), ` (${code})`))),
    el('p', {}, t('staff.ui.room_driver', { driver: s.driver.driver, reason: s.driver.reason }),
      s.readiness.scene ? ` · ${t('staff.ui.room_scene')}: ${s.readiness.scene}` : ''),
    el('h2', {}, t('staff.ui.room_readings')),
    table([t('staff.ui.room_sensor'), t('staff.ui.room_value'), t('staff.ui.room_age')], rows),
    el('h2', {}, t('staff.ui.room_firmware')),
    health);
}

export async function roomPage(main: HTMLElement): Promise<void> {
  draw(main, await api<RoomStatus>('GET', '/api/room/status'));
  // Live while the page is shown: the next page replaces `main`, which ends the refresh.
  const timer = setInterval(() => {
    if (!main.isConnected) return clearInterval(timer);
    api<RoomStatus>('GET', '/api/room/status')
      .then((s) => { if (main.isConnected) draw(main, s); })
      .catch(() => { if (main.isConnected) replace(main, el('h1', {}, t('staff.ui.room_status')), el('p', { class: 'error', role: 'alert' }, t('staff.ui.room_lost'))); });
  }, refreshMs);
}
