/** 设备状态: which camera and rig drivers run (real or simulated, and why), and how each is now. */
import { api } from './api.ts';
import { el, replace, table } from './dom.ts';
import { t } from './i18n.ts';
import { externalCode, type MessageCode } from '../../../controller/src/domain/messages/index.ts';
import type { DevicesReport, DriverChoice } from '../../../controller/src/app/ports/device.ts';

const cameraStatus: Record<DevicesReport['camera']['status'], MessageCode> = {
  connected: 'staff.ui.device_connected', lost: 'staff.ui.device_lost', reconnecting: 'staff.ui.device_reconnecting', busy: 'staff.ui.device_busy',
};

function driverCell(choice: DriverChoice): HTMLElement {
  return el('span', { 'data-driver': choice.driver, 'data-simulated': String(choice.simulated) },
    `${choice.driver} (${t(choice.simulated ? 'staff.ui.driver_simulated' : 'staff.ui.driver_real')})`);
}

export async function devicesPage(main: HTMLElement): Promise<void> {
  const { devices } = await api<{ devices: DevicesReport | null }>('GET', '/api/devices');
  if (!devices) {
    replace(main, el('h1', {}, t('staff.ui.devices')), el('p', {}, t('staff.ui.devices_none')));
    return;
  }
  const { camera, rig } = devices;
  const rigNow = rig.ready ? t('staff.ui.device_ready') : t('staff.ui.device_not_ready', { reasons: rig.reasons.map((r) => t(externalCode(r))).join(t('kiosk.ui.list_sep')) });
  const rows = table([t('staff.ui.device'), t('staff.ui.driver'), t('staff.ui.driver_reason'), t('staff.ui.device_now')], [
    [t('staff.ui.device_camera'), driverCell(camera), el('code', {}, camera.reason), `${t(cameraStatus[camera.status])} · ${camera.model}`],
    [t('staff.ui.device_rig'), driverCell(rig), el('code', {}, rig.reason), rigNow],
  ]);
  rows.setAttribute('data-testid', 'devices');
  replace(main, el('h1', {}, t('staff.ui.devices')), rows);
}
