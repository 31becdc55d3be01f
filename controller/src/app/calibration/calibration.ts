/**
 * Calibration use cases (灯光与相机校准): the technician's test shot, the auto-calibration loop, named
 * profiles (save, activate, compare) and the morning check. The rule that decides each step is
 * domain/calibration/auto-rule.ts; measuring a shot is the imaging side's (a port).
 */
import type { Camera, CameraSettingKey } from '../ports/camera.ts';
import type { CalibrationProfileStore, CalibrationRig, MorningCheckRecord, ShotMeasure, ShotValidator } from '../ports/calibration.ts';
import { decide, type CalibrationLights, type CalibrationLimits, type Decision, type RoomSettings, type StopReason } from '../../domain/calibration/auto-rule.ts';
import { assessTargets, type CalibrationTargets, type ShotFigures, type TargetResult } from '../../domain/calibration/figures.ts';
import { compareProfiles, morningCheck, type CalibrationProfile, type DriftTolerance, type MorningVerdict, type ProfileDifference } from '../../domain/calibration/profile.ts';
import { defaultCalibration } from '../../domain/lighting.ts';
import type { Rect } from '../../domain/photo/geometry.ts';
import type { PhotoCheck } from '../../domain/photo/checks.ts';
import { CalibrationError } from './calibration-error.ts';

export interface CalibrationSettings {
  targets: CalibrationTargets;
  limits: CalibrationLimits;
  drift: DriftTolerance;
  /** The kiosk's head guide, normalised: where the face is measured when the validator finds none. */
  guide: Rect;
  /** How long the rig gets to confirm new light levels and a fresh sensor reading. */
  settleMs: number;
  /** Run the validator on every auto-calibration step (its face box and checks); off: the guide region. */
  validateEachStep: boolean;
  /** Where a grey card is mounted in the frame (normalised), for the white balance reading; null: none. */
  greyCard: Rect | null;
}

export interface CalibrationParts {
  camera: Pick<Camera, 'capture' | 'getSettings' | 'setSettings'>;
  rig: CalibrationRig;
  measure: ShotMeasure;
  validator?: ShotValidator;
  store: CalibrationProfileStore;
  settings: CalibrationSettings;
  /** Called after a profile is activated and applied (the rig takes its levels as the calibrated scene). */
  onActivate?: (profile: CalibrationProfile) => Promise<void>;
  now?: () => Date;
}

export interface TestShot {
  at: string;
  settings: RoomSettings;
  figures: ShotFigures;
  targets: TargetResult[];
  /** The validator's verdict and checks on the shot; null when it was not run. */
  validation: { verdict: 'pass' | 'fail' | 'error'; checks: PhotoCheck[] } | null;
  subjectLux: number | null;
}

export interface AutoStep {
  shot: number;
  settings: RoomSettings;
  figures: ShotFigures;
  targets: TargetResult[];
  decision: Decision;
}

export interface AutoRun {
  steps: AutoStep[];
  outcome: { reason: StopReason; params: Record<string, string | number> };
  converged: boolean;
  /** The room as the run left it. */
  settings: RoomSettings;
}

export interface MorningCheckResult {
  profile: CalibrationProfile;
  shot: TestShot;
  verdict: MorningVerdict;
  record: MorningCheckRecord;
}

const POLL_MS = 50;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Calibration {
  private lights: CalibrationLights;
  private last: { shot: TestShot; jpeg: Buffer } | null = null;
  private busy = false;
  /** The steps of the auto-calibration run in progress (the page shows them as they come), null when none runs. */
  private running: AutoStep[] | null = null;
  private sliderQueue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly parts: CalibrationParts) {
    this.now = parts.now ?? (() => new Date());
    const read = parts.rig.readings().lights;
    const lvl = defaultCalibration.levels;
    this.lights = {
      key: read.key?.value ?? lvl.key ?? 0,
      fill: read.fill?.value ?? lvl.fill ?? 0,
      background: read.background?.value ?? lvl.background ?? 0,
    };
  }

  get settings(): CalibrationSettings {
    return this.parts.settings;
  }

  /** The steps so far of a running auto-calibration, null when none runs. */
  progress(): AutoStep[] | null {
    return this.running ? [...this.running] : null;
  }

  /** The last test shot (its JPEG for the page), null before the first. */
  lastShot(): { shot: TestShot; jpeg: Buffer } | null {
    return this.last;
  }

  async roomSettings(): Promise<RoomSettings> {
    const s = await this.cameraCall(() => this.parts.camera.getSettings());
    const v = (k: CameraSettingKey): string => s[k]?.value ?? '';
    const camera: RoomSettings['camera'] = { iso: v('iso'), aperture: v('aperture'), shutter: v('shutter') };
    if (s.whiteBalance) camera.whiteBalance = s.whiteBalance.value;
    return { lights: { ...this.lights }, camera };
  }

  /** Sets light channels at once (the page's sliders); resolves when the board confirms them. */
  async setLights(levels: Partial<CalibrationLights>): Promise<CalibrationLights> {
    if (this.busy) throw new CalibrationError('calibration.busy');
    // Slider moves queue behind each other (each waits for the board to confirm the one before).
    const next = this.sliderQueue.then(() => this.applyLights({ ...this.lights, ...levels }));
    this.sliderQueue = next.catch(() => undefined);
    await next;
    return { ...this.lights };
  }

  async setCamera(changes: Partial<Record<CameraSettingKey, string>>): Promise<RoomSettings> {
    return this.exclusive(async () => {
      await this.cameraCall(() => this.parts.camera.setSettings(changes));
      return this.roomSettings();
    });
  }

  async testShot(): Promise<TestShot> {
    return this.exclusive(() => this.shoot(true));
  }

  async autoCalibrate(): Promise<AutoRun> {
    return this.exclusive(async () => {
      const { limits } = this.parts.settings;
      const blocked = this.roomBlocked();
      if (blocked) return { steps: [], outcome: { reason: blocked, params: {} }, converged: false, settings: await this.roomSettings() };
      if (limits.whiteBalance) {
        const s = await this.cameraCall(() => this.parts.camera.getSettings());
        if (s.whiteBalance && s.whiteBalance.value !== limits.whiteBalance && s.whiteBalance.choices.includes(limits.whiteBalance)) {
          await this.cameraCall(() => this.parts.camera.setSettings({ whiteBalance: limits.whiteBalance ?? '' }));
        }
      }
      const steps: AutoStep[] = [];
      this.running = steps;
      try {
        return await this.loop(steps, await this.roomSettings());
      } finally {
        this.running = null;
      }
    });
  }

  /** Shoot, measure, decide, apply; each step is pushed onto `steps` as it is taken (the page polls them). */
  private async loop(steps: AutoStep[], start: RoomSettings): Promise<AutoRun> {
    const { limits, targets } = this.parts.settings;
    let settings = start;
    let previous: { settings: RoomSettings; figures: ShotFigures } | undefined;
    for (let shot = 1; ; shot++) {
      await this.apply(settings);
      let taken: TestShot;
      try {
        taken = await this.shoot(this.parts.settings.validateEachStep);
      } catch (err) {
        if (err instanceof CalibrationError && err.code === 'calibration.camera_failed') {
          return { steps, outcome: { reason: 'calibration.camera_failed', params: err.params }, converged: false, settings };
        }
        throw err;
      }
      const decision = decide({ shots: shot, settings: taken.settings, figures: taken.figures, targets, limits, ...(previous ? { previous } : {}) });
      steps.push({ shot, settings: taken.settings, figures: taken.figures, targets: taken.targets, decision });
      if (decision.kind === 'stop') {
        return { steps, outcome: { reason: decision.reason, params: decision.params }, converged: decision.reason === 'calibration.converged', settings: taken.settings };
      }
      previous = { settings: taken.settings, figures: taken.figures };
      settings = decision.next;
    }
  }

  /** Saves the room as it is with the last test shot's figures. */
  async saveProfile(name: string, technician: string): Promise<CalibrationProfile> {
    const last = this.last;
    if (!last) throw new CalibrationError('calibration.no_shot');
    const saved = await this.parts.store.save({
      name, settings: last.shot.settings, figures: last.shot.figures, subjectLux: last.shot.subjectLux, technician, createdAt: this.now().toISOString(),
    });
    if (!saved) throw new CalibrationError('calibration.name_taken', { name });
    return saved;
  }

  /** Makes a profile the active one (audited in the store's transaction) and sets the room to it. */
  async activate(id: number, actor: string, origin: string): Promise<CalibrationProfile> {
    if (this.busy) throw new CalibrationError('calibration.busy');
    const before = await this.parts.store.get(id);
    if (!before) throw new CalibrationError('calibration.profile_not_found', { id });
    const profile = await this.parts.store.activate(id, this.now(), {
      actor, origin, action: 'calibration.activate', target: `calibration_profile:${id}`,
      details: { name: before.name, lights: before.settings.lights, camera: before.settings.camera },
    });
    if (!profile) throw new CalibrationError('calibration.profile_not_found', { id });
    await this.exclusive(() => this.apply(profile.settings));
    await this.parts.onActivate?.(profile);
    return profile;
  }

  activeProfile(): Promise<CalibrationProfile | null> {
    return this.parts.store.active();
  }

  /** Profiles, newest first, with the latest morning checks. */
  async history(limit: number): Promise<{ profiles: CalibrationProfile[]; checks: MorningCheckRecord[] }> {
    const [profiles, checks] = await Promise.all([this.parts.store.list(), this.parts.store.checks(limit)]);
    return { profiles, checks };
  }

  async compare(a: number, b: number): Promise<{ a: CalibrationProfile; b: CalibrationProfile; rows: ProfileDifference[] }> {
    const [pa, pb] = await Promise.all([this.parts.store.get(a), this.parts.store.get(b)]);
    if (!pa) throw new CalibrationError('calibration.profile_not_found', { id: a });
    if (!pb) throw new CalibrationError('calibration.profile_not_found', { id: b });
    return { a: pa, b: pb, rows: compareProfiles(pa, pb) };
  }

  /** One shot with the active profile's settings: pass, or what drifted. Recorded either way. */
  async morningCheck(technician: string): Promise<MorningCheckResult> {
    const profile = await this.parts.store.active();
    if (!profile) throw new CalibrationError('calibration.no_active_profile');
    const blocked = this.roomBlocked();
    if (blocked) throw new CalibrationError(blocked);
    const shot = await this.exclusive(async () => {
      await this.apply(profile.settings);
      return this.shoot(true);
    });
    const verdict = morningCheck(profile, { figures: shot.figures, subjectLux: shot.subjectLux }, this.parts.settings.drift);
    const record = await this.parts.store.recordCheck({
      profileId: profile.id, at: shot.at, technician, passed: verdict.passed, drifts: verdict.drifts, figures: shot.figures,
    });
    return { profile, shot, verdict, record };
  }

  private roomBlocked(): Extract<StopReason, 'calibration.door_open' | 'calibration.daylight' | 'calibration.rig_offline'> | null {
    const reasons = this.parts.rig.readiness().reasons;
    if (reasons.includes('rig.offline') || reasons.includes('rig.stale')) return 'calibration.rig_offline';
    if (reasons.includes('rig.daylight')) return 'calibration.daylight';
    if (reasons.includes('rig.door_open')) return 'calibration.door_open';
    return null;
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) throw new CalibrationError('calibration.busy');
    this.busy = true;
    try {
      await this.sliderQueue;
      return await work();
    } finally {
      this.busy = false;
    }
  }

  private async apply(settings: RoomSettings): Promise<void> {
    const current = await this.roomSettings();
    const changes: Partial<Record<CameraSettingKey, string>> = {};
    for (const k of ['iso', 'aperture', 'shutter', 'whiteBalance'] as const) {
      const v = settings.camera[k];
      if (v && v !== current.camera[k]) changes[k] = v;
    }
    if (Object.keys(changes).length) await this.cameraCall(() => this.parts.camera.setSettings(changes));
    await this.applyLights(settings.lights);
  }

  /** Sets the lights and waits (at most `settleMs`) for the board to confirm them and for a sensor reading taken after. */
  private async applyLights(levels: CalibrationLights): Promise<void> {
    const rig = this.parts.rig;
    try {
      await rig.setLights({ key: levels.key, fill: levels.fill, background: levels.background });
    } catch (err) {
      throw new CalibrationError('calibration.rig_failed', { detail: err instanceof Error ? err.message : String(err) });
    }
    this.lights = { ...levels };
    const deadline = Date.now() + this.parts.settings.settleMs;
    let confirmedAt: number | null = null;
    while (Date.now() < deadline) {
      const r = rig.readings();
      const confirmed = (['key', 'fill', 'background'] as const).every((ch) => {
        const got = r.lights[ch];
        return got === undefined || Math.abs(got.value - levels[ch]) <= 0.6;
      });
      if (confirmed && confirmedAt === null) confirmedAt = Date.now();
      if (confirmedAt !== null && (!r.subjectLux || r.subjectLux.at > confirmedAt)) return;
      await sleep(POLL_MS);
    }
  }

  private async cameraCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'camera.permanent';
      throw new CalibrationError('calibration.camera_failed', { code });
    }
  }

  private async shoot(validate: boolean): Promise<TestShot> {
    const settings = await this.roomSettings();
    const still = await this.cameraCall(() => this.parts.camera.capture());
    const at = this.now().toISOString();
    const report = validate && this.parts.validator ? await this.parts.validator.validate(still.jpeg) : null;
    const face = report?.face ? { region: report.face, placedBy: 'validator' as const } : { region: this.parts.settings.guide, placedBy: 'guide' as const };
    const figures = await this.parts.measure(still.jpeg, face, this.parts.settings.greyCard);
    const shot: TestShot = {
      at, settings, figures, targets: assessTargets(figures, this.parts.settings.targets),
      validation: report ? { verdict: report.verdict, checks: report.checks } : null,
      subjectLux: this.parts.rig.readings().subjectLux?.value ?? null,
    };
    this.last = { shot, jpeg: still.jpeg };
    return shot;
  }
}
