/** Shared set-up for the staff service tests: a temp data folder, a database, accounts, photos. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { Database } from '../../controller/src/store/database.ts';
import { StaffRepository } from '../../controller/src/store/staff/users.ts';
import { hashPassword, newBearerToken, secretHash } from '../../controller/src/server/staff/credentials.ts';
import type { StaffRole } from '../../controller/src/domain/staff.ts';
import type { AcceptedPhoto, ManifestStudent } from '../../controller/src/app/ports/accepted-photos.ts';

/** Cheap scrypt for tests: the parameters travel with the hash, so verification is the real code. */
export const testScrypt = { N: 1024, r: 8, p: 1 };

export interface TempData {
  dir: string;
  db: Database;
  cleanup(): Promise<void>;
}

export async function tempData(): Promise<TempData> {
  const dir = mkdtempSync(join(tmpdir(), 'rig-staff-'));
  const db = await Database.open(join(dir, 'rig.db'));
  return { dir, db, cleanup: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function addUser(db: Database, name: string, role: StaffRole, password = 'correct horse'): Promise<string> {
  const repo = new StaffRepository(db);
  const { id } = await repo.upsertUser(name, role, await hashPassword(password, testScrypt), new Date());
  const token = newBearerToken();
  await repo.createToken(id, secretHash(token), 'test', new Date());
  return token;
}

/** GB 11643 check character for the first 17 digits. */
export function idCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

export function idNumber(n: number, gender: 'M' | 'F' = n % 2 ? 'M' : 'F'): string {
  const seq = String((n % 50) * 2 + (gender === 'M' ? 1 : 0)).padStart(3, '0');
  const body = `110101200${(n % 3) + 1}0${(n % 9) + 1}1${n % 10}${seq}`;
  return body + idCheck(body);
}

const givenNames = ['林晓安', '周雨桐', '陈子墨', '吴思远', '郑可欣', '王一鸣', '赵安然', '孙浩宇'];

export function student(n: number, over: Partial<ManifestStudent> = {}): ManifestStudent {
  const id = idNumber(n);
  return {
    idNumber: id,
    name: givenNames[n % givenNames.length]!,
    gender: Number(id[16]) % 2 ? 'M' : 'F',
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    schoolCode: '10999',
    educationLevel: '本科',
    major: '计算机科学与技术',
    department: n % 2 ? '信息学院' : '外国语学院',
    className: n % 2 ? '计科2201' : '英语2202',
    studentNumber: `2022${String(n).padStart(6, '0')}`,
    collectionCode: `C${String(n).padStart(7, '0')}`,
    ...over,
  };
}

/** Writes `count` small real JPEG deliverables and returns their records (sequence 1..count). */
export async function makePhotos(dataDir: string, date: string, count: number, first = 1): Promise<AcceptedPhoto[]> {
  const out: AcceptedPhoto[] = [];
  const rel = join('photos', date, 'deliverable');
  mkdirSync(join(dataDir, rel), { recursive: true });
  for (let i = 0; i < count; i++) {
    const seq = first + i;
    const jpeg = await sharp({ create: { width: 48, height: 64, channels: 3, background: { r: 200, g: 220 - (seq % 50), b: 240 } } })
      .jpeg({ quality: 80 }).toBuffer();
    const path = join(rel, `${String(seq).padStart(5, '0')}.jpg`);
    writeFileSync(join(dataDir, path), jpeg);
    out.push({
      sequence: seq, date, student: student(seq), codeText: `C${String(seq).padStart(7, '0')}`, deliverablePath: path,
      sha256: createHash('sha256').update(jpeg).digest('hex'), crc32: crc32(jpeg), bytes: jpeg.length, acceptedAt: `${date}T01:${String(seq % 60).padStart(2, '0')}:00.000Z`,
    });
  }
  return out;
}

/** A route URL with sample values for its parameters. */
export function sampleUrl(url: string): string {
  return url.replace(':file', '2026-11-28.zip').replace(':date', '2026-11-28').replace(':sequence', '1').replace(/:\w+/g, 'x');
}

/** Deliverable-sized random files (the transfer does not care what is inside), students from `firstStudent`. */
export function makeBlobPhotos(dataDir: string, date: string, count: number, size: number, firstStudent = 1): AcceptedPhoto[] {
  const rel = join('photos', date, `blob-${firstStudent}`);
  mkdirSync(join(dataDir, rel), { recursive: true });
  const out: AcceptedPhoto[] = [];
  for (let i = 0; i < count; i++) {
    const data = randomBytes(size - 200 + (i * 37) % 400);
    const path = join(rel, `${i + 1}.jpg`);
    writeFileSync(join(dataDir, path), data);
    out.push({
      sequence: i + 1, date, student: student(firstStudent + i), codeText: null, deliverablePath: path,
      sha256: createHash('sha256').update(data).digest('hex'), crc32: crc32(data), bytes: data.length, acceptedAt: `${date}T02:00:00.000Z`,
    });
  }
  return out;
}

/** Puts roster rows straight into the store (the roster importer is another branch's work). */
export async function insertStudents(db: Database, students: ManifestStudent[]): Promise<void> {
  const at = new Date().toISOString();
  await db.transaction(async (tx) => {
    for (const s of students) {
      await tx.run(
        `INSERT INTO students (id_number, name, gender, birth_date, school_code, education_level, major, department, class_name,
           student_number, collection_code, education_category, qualification_passed, row_hash, imported_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'regular', 1, 'h', ?, ?)`,
        [s.idNumber, s.name, s.gender, s.birthDate, s.schoolCode, s.educationLevel, s.major, s.department, s.className,
          s.studentNumber, s.collectionCode, at, at],
      );
    }
  });
}
