import { describe, expect, it } from 'vitest';
import { initialKioskState, sessionCodes, transition, type KioskEvent, type KioskState, type SessionSettings } from '../../../controller/src/domain/capture-session.ts';
import { normaliseDiscrepancyFields } from '../../../controller/src/domain/discrepancy.ts';

const settings: SessionSettings = {
  retakeLimit: 2, countdownMs: 3_000,
  timeoutsMs: { identify: 5_000, confirm: 60_000, refused: 20_000, dress: 60_000, pose: 90_000, countdown: 10_000, capture: 15_000, validate: 15_000, review: 90_000, store: 30_000, receipt: 30_000, 'see-staff': 60_000 },
};
const identity = {
  studentId: 7, name: '林晓文', gender: 'F' as const, birthDate: '2003-04-05', major: '软件工程', department: '计算机学院',
  className: '软工2101', schoolCode: '10000', schoolName: '演示大学', maskedIdNumber: '110101********123X',
};

function atConfirm(allowed: boolean): KioskState {
  let s = initialKioskState(0, { ready: true, reasons: [] });
  const step = (e: KioskEvent) => (s = transition(s, e, 0, settings).state);
  step({ type: 'scan', code: '110101200304051234' });
  step({ type: 'identified', session: 1, identity, eligibility: allowed ? { allowed: true } : { allowed: false, code: 'eligibility.after_slot' } });
  return s;
}

describe('信息不符 at the confirm step', () => {
  it('records the flagged fields and goes on to the dress check, as "these are my details" would', () => {
    const t = transition(atConfirm(true), { type: 'report-discrepancy', fields: ['name', 'birthDate'] }, 0, settings);
    expect(t.state.name).toBe('dress');
    expect(t.effects).toContainEqual({ type: 'record-discrepancy', session: 1, fields: ['name', 'birthDate'] });
  });
  it('still records it for a student who is then refused for another reason', () => {
    const t = transition(atConfirm(false), { type: 'report-discrepancy', fields: ['major'] }, 0, settings);
    expect(t.state.name).toBe('refused');
    expect(t.effects).toContainEqual({ type: 'record-discrepancy', session: 1, fields: ['major'] });
  });
  it('is refused with nothing ticked, and anywhere but the confirm screen', () => {
    expect(transition(atConfirm(true), { type: 'report-discrepancy', fields: [] }, 0, settings).refusal).toEqual({ code: sessionCodes.discrepancyEmpty });
    const idle = initialKioskState(0);
    const t = transition(idle, { type: 'report-discrepancy', fields: ['name'] }, 0, settings);
    expect(t.refusal).toEqual({ code: sessionCodes.notNow });
    expect(t.effects).toEqual([]);
  });
  it('keeps screen order, drops repeats, and rejects unknown fields', () => {
    expect(normaliseDiscrepancyFields(['major', 'name', 'major'])).toEqual(['name', 'major']);
    expect(normaliseDiscrepancyFields(['name', 'photo'])).toBeNull();
    expect(normaliseDiscrepancyFields([])).toBeNull();
  });
});
