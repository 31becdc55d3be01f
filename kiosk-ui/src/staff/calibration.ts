/**
 * The technician's calibration page: live view with the kiosk's guides, the room's state, light
 * sliders that act at once, test shot with plots, auto-calibration step by step, profiles (save,
 * activate, compare, history) and the morning check. Plots arrive as SVG images from the server.
 */
import { api, apiProblem } from './api.ts';
import { detach, el, replace, table } from './dom.ts';
import { currentLocale, t } from './i18n.ts';
import { externalCode, type MessageCode } from '../../../controller/src/domain/messages/index.ts';
import type { ShotFigures, TargetResult } from '../../../controller/src/domain/calibration/figures.ts';
import type { CalibrationProfile } from '../../../controller/src/domain/calibration/profile.ts';
import type { RoomSettings } from '../../../controller/src/domain/calibration/auto-rule.ts';

interface Plots { histogram: string; heatmap: string; face: string }
interface Check { id: string; passed: boolean; value: number | string | null; limit: string; message: { zh: string; en: string } }
interface Shot { at: string; settings: RoomSettings; figures: ShotFigures; targets: TargetResult[]; validation: { verdict: string; checks: Check[] } | null; subjectLux: number | null; plots: Plots }
interface Step { shot: number; settings: RoomSettings; figures: ShotFigures; targets: TargetResult[]; decision: { kind: 'adjust' | 'stop'; reason?: string }; plots: Plots }
interface Run { steps: Step[]; outcome: { reason: string }; converged: boolean; message: string; progress: string }
interface Room {
  readiness: { ready: boolean; reasons: string[]; door: 'open' | 'closed'; daylight: boolean };
  subjectLux: number | null; daylightRaw: number | null; lights: Record<string, number>; settings: RoomSettings | null;
  activeProfile: { id: number; name: string } | null; simulated: boolean;
  limits: { iso: string[]; aperture: string[]; shutter: string[] };
}
interface Morning { passed: boolean; message: string; drifts: Array<{ code: string; channel: string | null; message: string }>; shot: Shot }
interface History { profiles: CalibrationProfile[]; checks: Array<{ id: number; profileId: number; at: string; technician: string; passed: boolean; drifts: Array<{ code: string; channel: string | null }> }> }

/** The kiosk's head-oval and eye-line guides (kiosk-ui/src/screens/pose.tsx), as an image laid over the live view. */
const guide = { cx: 0.5, cy: 0.45, rx: 0.15, ry: 0.13, eyeTop: 0.435, eyeBottom: 0.48 };
const W = 300, H = 400;
const guidesSvg = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}"><rect x="0" y="${guide.eyeTop * H}" width="${W}" height="${(guide.eyeBottom - guide.eyeTop) * H}" fill="rgba(255,255,255,0.18)" stroke="rgba(255,255,255,0.9)" stroke-dasharray="6 5"/><ellipse cx="${guide.cx * W}" cy="${guide.cy * H}" rx="${guide.rx * W}" ry="${guide.ry * H}" fill="none" stroke="#fff" stroke-width="2.5" stroke-dasharray="9 6"/></svg>`)}`;

const when = (iso: string): string => new Date(iso).toLocaleString(currentLocale() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' });
const r1 = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : String(Math.round(v * 10) / 10));
const lightsText = (s: RoomSettings): string => `${t('calibration.channel.key')} ${r1(s.lights.key)}% · ${t('calibration.channel.fill')} ${r1(s.lights.fill)}% · ${t('calibration.channel.background')} ${r1(s.lights.background)}%`;
const cameraText = (s: RoomSettings): string => `ISO ${s.camera.iso} · ${s.camera.aperture} · ${s.camera.shutter}${s.camera.whiteBalance ? ` · ${s.camera.whiteBalance}` : ''}`;

function targetsTable(targets: TargetResult[]): HTMLTableElement {
  return table([t('calibration.ui.item'), '', ''], targets.map((x) => [
    t(externalCode(`calibration.target.${x.id}`)), el('span', { class: x.passed ? 'ok' : 'error', 'data-target': x.id, 'data-passed': String(x.passed) }, r1(x.value)), x.limit,
  ]));
}

function plots(p: Plots, f: ShotFigures): HTMLElement {
  const figure = (src: string, label: MessageCode, testid: string) =>
    el('figure', {}, el('img', { src, alt: t(label), 'data-plot': testid }), el('figcaption', {}, t(label)));
  return el('div', { class: 'plots' },
    figure(p.histogram, 'calibration.ui.histogram', 'histogram'),
    figure(p.heatmap, 'calibration.ui.heatmap', 'heatmap'),
    figure(p.face, 'calibration.ui.face', 'face'),
    el('p', {}, t('calibration.ui.grey'), ': ', f.grey ? `L* ${r1(f.grey.lab.L)} · C ${r1(f.grey.chroma)}` : t('calibration.ui.no_grey')));
}

function shotView(shot: Shot): HTMLElement {
  const lang = currentLocale();
  return el('section', { class: 'shot', 'data-testid': 'shot' },
    el('h2', {}, t('calibration.ui.test_shot'), ' · ', when(shot.at)),
    el('div', { class: 'cal-row' },
      el('img', { class: 'shot-image', src: `/api/calibration/shot.jpg?at=${encodeURIComponent(shot.at)}`, alt: t('calibration.ui.test_shot') }),
      el('div', {}, el('p', {}, lightsText(shot.settings)), el('p', {}, cameraText(shot.settings)),
        el('h3', {}, t('calibration.ui.targets')), targetsTable(shot.targets))),
    plots(shot.plots, shot.figures),
    shot.validation && el('details', {}, el('summary', {}, t('calibration.ui.checks'), ` (${shot.validation.verdict})`),
      table([t('calibration.ui.item'), '', ''], shot.validation.checks.map((c) => [c.id, el('span', { class: c.passed ? 'ok' : 'error' }, lang === 'zh' ? c.message.zh : c.message.en), `${c.value ?? ''} ${c.limit}`]))));
}

const stepColumns = ['face.exposure', 'face.balance', 'background.colour', 'background.uniformity'] as const;

function stepsTable(steps: Array<Pick<Step, 'shot' | 'settings' | 'targets'>>): HTMLTableElement {
  return table([t('calibration.ui.step', { n: '#' }), t('calibration.ui.lights'), t('calibration.ui.camera'), ...stepColumns.map((id) => t(externalCode(`calibration.target.${id}`)))],
    steps.map((s) => [
      t('calibration.ui.step', { n: s.shot }), lightsText(s.settings), cameraText(s.settings),
      ...stepColumns.map((id) => {
        const x = s.targets.find((target) => target.id === id);
        return x ? el('span', { class: x.passed ? 'ok' : 'error' }, r1(x.value)) : '–';
      }),
    ]));
}

function runView(run: Run): HTMLElement {
  return el('section', { class: 'run', 'data-testid': 'auto-run', 'data-outcome': run.outcome.reason },
    el('h2', {}, t('calibration.ui.steps')),
    el('p', { class: run.converged ? 'ok' : 'error', role: 'status' }, run.message),
    el('img', { src: run.progress, alt: t('calibration.ui.steps'), 'data-plot': 'progress' }),
    stepsTable(run.steps),
    run.steps.length > 0 && plots(run.steps[run.steps.length - 1]!.plots, run.steps[run.steps.length - 1]!.figures));
}

export async function calibrationPage(main: HTMLElement): Promise<void> {
  const live = el('img', { class: 'live', alt: t('calibration.ui.live'), 'data-testid': 'live' });
  const roomBox = el('div', { class: 'room', 'data-testid': 'room' });
  const output = el('div', { id: 'calibration-output' });
  const status = el('p', { role: 'status', class: 'cal-status' });
  const profilesBox = el('div', { 'data-testid': 'profiles' });
  const busy = async (work: () => Promise<void>): Promise<void> => {
    replace(status, t('calibration.ui.running'));
    try {
      await work();
      replace(status, '');
    } catch (err) {
      replace(status, el('span', { class: 'error' }, apiProblem(err)));
    }
  };

  const sliders = (['key', 'fill', 'background'] as const).map((ch) => {
    const value = el('output', {}, '');
    let timer: ReturnType<typeof setTimeout> | null = null;
    const input = el('input', { type: 'range', min: '0', max: '100', step: '1', name: ch, 'data-channel': ch, oninput: () => {
      replace(value, `${input.value}%`);
      // At once, but one request per pause in the drag rather than one per pixel.
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => detach(api('POST', '/api/calibration/lights', { [ch]: Number(input.value) })), 120);
    } });
    return { ch, input, value, label: el('label', { class: 'slider' }, t(externalCode(`calibration.channel.${ch}`)), input, value) };
  });

  // Camera exposure within the configured limits, set at once like the lights.
  const cameraBox = el('div', { class: 'toolbar', 'data-testid': 'camera' });
  const cameraSelects = new Map<'iso' | 'aperture' | 'shutter', HTMLSelectElement>();
  const drawCamera = (room: Room): void => {
    if (!room.settings) return;
    if (cameraSelects.size === 0) {
      for (const key of ['iso', 'aperture', 'shutter'] as const) {
        const select = el('select', { name: key, 'data-camera': key, onchange: () => detach(busy(async () => {
          await api('POST', '/api/calibration/camera', { [key]: select.value });
        })) }, ...room.limits[key].map((v) => el('option', { value: v }, key === 'iso' ? `ISO ${v}` : v)));
        cameraSelects.set(key, select);
      }
      replace(cameraBox, t('calibration.ui.camera'), ...cameraSelects.values());
    }
    for (const [key, select] of cameraSelects) if (document.activeElement !== select) select.value = room.settings.camera[key];
  };

  const drawRoom = (room: Room): void => {
    drawCamera(room);
    const rd = room.readiness;
    replace(roomBox,
      el('p', { class: rd.ready ? 'ok' : 'error', 'data-ready': String(rd.ready) }, rd.ready ? t('calibration.ui.ready') : t('calibration.ui.not_ready'),
        rd.reasons.length ? ` (${rd.reasons.map((r) => t(externalCode(r))).join('，')})` : ''),
      el('p', {}, t('calibration.ui.door'), ': ', t(rd.door === 'open' ? 'calibration.ui.door_open' : 'calibration.ui.door_closed')),
      el('p', { 'data-testid': 'ambient' }, t('calibration.ui.ambient'), ': ', room.subjectLux === null ? '–' : `${Math.round(room.subjectLux)} lx`),
      el('p', {}, t('calibration.ui.daylight'), ': ', rd.daylight ? '⚠' : '–', room.daylightRaw === null ? '' : ` (${room.daylightRaw})`),
      room.settings && el('p', {}, cameraText(room.settings)),
      el('p', {}, t('calibration.ui.profiles'), ': ', room.activeProfile ? room.activeProfile.name : '–'));
    for (const s of sliders) {
      const v = room.lights[s.ch];
      if (v !== undefined && document.activeElement !== s.input) {
        s.input.value = String(Math.round(v));
        replace(s.value, `${Math.round(v)}%`);
      }
    }
  };

  const drawProfiles = async (): Promise<void> => {
    const h = await api<History>('GET', '/api/calibration/profiles');
    const picks = new Set<number>();
    const compareOut = el('div', { 'data-testid': 'compare' });
    const compare = el('button', { type: 'button', 'data-action': 'compare', onclick: () => {
      const [a, b] = [...picks];
      if (a === undefined || b === undefined) return;
      detach(api<{ rows: Array<{ item: string; a: unknown; b: unknown }> }>('GET', `/api/calibration/compare?a=${a}&b=${b}`).then(({ rows }) =>
        replace(compareOut, table([t('calibration.ui.item'), 'A', 'B'], rows.map((r) => [r.item, String(r.a ?? '–'), el('span', { class: r.a === r.b ? '' : 'error' }, String(r.b ?? '–'))])))));
    } }, t('calibration.ui.compare'));
    replace(profilesBox,
      el('h2', {}, t('calibration.ui.profiles')),
      table(['', t('calibration.ui.profile_name'), t('calibration.ui.lights'), t('calibration.ui.camera'), t('calibration.target.face.exposure'), t('calibration.target.background.colour'), t('calibration.ui.technician'), t('calibration.ui.time'), ''],
        h.profiles.map((p) => [
          el('input', { type: 'checkbox', 'data-profile': String(p.id), onchange: (e: Event) => { if ((e.target as HTMLInputElement).checked) picks.add(p.id); else picks.delete(p.id); } }),
          p.name, lightsText(p.settings), cameraText(p.settings), r1(p.figures.face.lightness), r1(p.figures.background?.deltaE), p.technician, when(p.createdAt),
          p.active ? el('strong', { 'data-active': 'true' }, t('calibration.ui.active'))
            : el('button', { type: 'button', 'data-action': 'activate', 'data-profile': String(p.id), onclick: () => detach(busy(async () => {
              await api('POST', `/api/calibration/profiles/${p.id}/activate`);
              await drawProfiles();
            })) }, t('calibration.ui.activate')),
        ])),
      compare, compareOut,
      el('h2', {}, t('calibration.ui.history')),
      table([t('calibration.ui.time'), t('calibration.ui.technician'), '', ''], h.checks.map((c) => [
        when(c.at), c.technician, el('span', { class: c.passed ? 'ok' : 'error' }, t(c.passed ? 'calibration.ui.passed' : 'calibration.ui.failed')),
        c.drifts.map((d) => t(externalCode(d.code === 'calibration.drift.subject_lux' ? 'calibration.ui.ambient' : `calibration.target.${d.code === 'calibration.drift.background' ? 'background.colour' : d.code === 'calibration.drift.balance' ? 'face.balance' : 'face.exposure'}`))).join('，'),
      ])));
  };

  const name = el('input', { name: 'profile-name', placeholder: t('calibration.ui.profile_name'), maxlength: '64' });
  const toolbar = el('div', { class: 'toolbar' },
    el('button', { type: 'button', 'data-action': 'shot', onclick: () => detach(busy(async () => replace(output, shotView(await api<Shot>('POST', '/api/calibration/shot'))))) }, t('calibration.ui.test_shot')),
    el('button', { type: 'button', 'data-action': 'auto', onclick: () => detach(busy(async () => {
      // Each step as it is taken, until the run's own answer replaces them with its plots.
      let done = false;
      const follow = async (): Promise<void> => {
        while (!done) {
          await new Promise((resolve) => setTimeout(resolve, 600));
          const p = await api<{ running: boolean; steps: Array<Pick<Step, 'shot' | 'settings' | 'targets'>> }>('GET', '/api/calibration/auto');
          if (!done && p.running) replace(output, stepsTable(p.steps));
        }
      };
      const following = follow().catch(() => undefined);
      try {
        replace(output, runView(await api<Run>('POST', '/api/calibration/auto')));
      } finally {
        done = true;
        await following;
      }
    })) }, t('calibration.ui.auto')),
    el('button', { type: 'button', 'data-action': 'morning', onclick: () => detach(busy(async () => {
      const m = await api<Morning>('POST', '/api/calibration/morning-check');
      replace(output, el('section', { 'data-testid': 'morning', 'data-passed': String(m.passed) },
        el('h2', {}, t('calibration.ui.morning')), el('p', { class: m.passed ? 'ok' : 'error', role: 'status' }, m.message),
        el('ul', {}, ...m.drifts.map((d) => el('li', { 'data-channel': d.channel ?? '' }, d.message))), shotView(m.shot)));
      await drawProfiles();
    })) }, t('calibration.ui.morning')),
    name,
    el('button', { type: 'button', 'data-action': 'save', onclick: () => detach(busy(async () => {
      await api('POST', '/api/calibration/profiles', { name: name.value });
      name.value = '';
      await drawProfiles();
    })) }, t('calibration.ui.save')));

  replace(main,
    el('h1', {}, t('calibration.ui.title')),
    el('div', { class: 'cal-row' },
      el('div', { class: 'live-wrap' }, live, el('img', { class: 'guides', src: guidesSvg, alt: '' })),
      el('div', {}, el('h2', {}, t('calibration.ui.room')), roomBox, el('h2', {}, t('calibration.ui.lights')), ...sliders.map((s) => s.label), cameraBox)),
    toolbar, status, output, profilesBox);

  // Live view and room state while the page is shown; both stop once the page is left.
  let frame = 0;
  const nextFrame = (): void => {
    if (!live.isConnected) return;
    live.onload = live.onerror = () => setTimeout(nextFrame, 400);
    live.src = `/api/calibration/preview.jpg?n=${++frame}`;
  };
  const pollRoom = async (): Promise<void> => {
    while (roomBox.isConnected) {
      try {
        drawRoom(await api<Room>('GET', '/api/calibration/room'));
      } catch (err) {
        replace(roomBox, el('p', { class: 'error' }, apiProblem(err)));
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  };
  nextFrame();
  detach(pollRoom());
  await drawProfiles();
}
