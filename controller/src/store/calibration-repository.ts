/** Calibration profiles and morning checks in SQLite (migration 009). */
import type { CalibrationProfileStore, MorningCheckRecord } from '../app/ports/calibration.ts';
import type { AuditEntry } from '../app/ports/audit.ts';
import type { CalibrationProfile } from '../domain/calibration/profile.ts';
import type { Database, Queryable } from './database.ts';
import { appendAudit } from './audit-log.ts';

interface ProfileRow {
  id: number;
  name: string;
  settings: string;
  figures: string;
  subject_lux: number | null;
  technician: string;
  created_at: string;
  active: number;
}

interface CheckRow {
  id: number;
  profile_id: number;
  at: string;
  technician: string;
  passed: number;
  drifts: string;
  figures: string;
}

function toProfile(r: ProfileRow): CalibrationProfile {
  return {
    id: r.id, name: r.name, settings: JSON.parse(r.settings) as CalibrationProfile['settings'], figures: JSON.parse(r.figures) as CalibrationProfile['figures'],
    subjectLux: r.subject_lux, technician: r.technician, createdAt: r.created_at, active: r.active === 1,
  };
}

function toCheck(r: CheckRow): MorningCheckRecord {
  return {
    id: r.id, profileId: r.profile_id, at: r.at, technician: r.technician, passed: r.passed === 1,
    drifts: JSON.parse(r.drifts) as MorningCheckRecord['drifts'], figures: JSON.parse(r.figures) as MorningCheckRecord['figures'],
  };
}

async function byId(q: Queryable, id: number): Promise<CalibrationProfile | null> {
  const r = await q.get<ProfileRow>('SELECT * FROM calibration_profiles WHERE id = ?', [id]);
  return r ? toProfile(r) : null;
}

export class SqlCalibrationProfiles implements CalibrationProfileStore {
  constructor(private readonly db: Database) {}

  async save(p: Omit<CalibrationProfile, 'id' | 'active'>): Promise<CalibrationProfile | null> {
    return this.db.transaction(async (tx) => {
      if (await tx.get('SELECT 1 FROM calibration_profiles WHERE name = ?', [p.name])) return null;
      const r = await tx.run(
        'INSERT INTO calibration_profiles (name, settings, figures, subject_lux, technician, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [p.name, JSON.stringify(p.settings), JSON.stringify(p.figures), p.subjectLux, p.technician, p.createdAt],
      );
      return byId(tx, r.lastID);
    });
  }

  async list(): Promise<CalibrationProfile[]> {
    return (await this.db.all<ProfileRow>('SELECT * FROM calibration_profiles ORDER BY created_at DESC, id DESC')).map(toProfile);
  }

  get(id: number): Promise<CalibrationProfile | null> {
    return byId(this.db, id);
  }

  async active(): Promise<CalibrationProfile | null> {
    const r = await this.db.get<ProfileRow>('SELECT * FROM calibration_profiles WHERE active = 1');
    return r ? toProfile(r) : null;
  }

  async activate(id: number, at: Date, audit: AuditEntry): Promise<CalibrationProfile | null> {
    return this.db.transaction(async (tx) => {
      if (!(await byId(tx, id))) return null;
      await tx.run('UPDATE calibration_profiles SET active = 0 WHERE active = 1 AND id <> ?', [id]);
      await tx.run('UPDATE calibration_profiles SET active = 1, activated_at = ? WHERE id = ?', [at.toISOString(), id]);
      await appendAudit(tx, audit, at);
      return byId(tx, id);
    });
  }

  async recordCheck(c: Omit<MorningCheckRecord, 'id'>): Promise<MorningCheckRecord> {
    const r = await this.db.run(
      'INSERT INTO calibration_checks (profile_id, at, technician, passed, drifts, figures) VALUES (?, ?, ?, ?, ?, ?)',
      [c.profileId, c.at, c.technician, c.passed ? 1 : 0, JSON.stringify(c.drifts), JSON.stringify(c.figures)],
    );
    return { ...c, id: r.lastID };
  }

  async checks(limit: number): Promise<MorningCheckRecord[]> {
    return (await this.db.all<CheckRow>('SELECT * FROM calibration_checks ORDER BY at DESC, id DESC LIMIT ?', [limit])).map(toCheck);
  }
}
