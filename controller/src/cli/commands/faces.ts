import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { normaliseScannedCode } from '../../domain/capture-session.ts';
import { bilingual, type MessageCode } from '../../domain/messages/index.ts';
import { readLimits } from '../../formats/spreadsheet/limits.ts';
import { openZipEntry, readZipDirectory } from '../../formats/spreadsheet/zip.ts';
import { compareFaces, describePhoto, DESCRIPTOR_MODEL } from '../../imaging/index.ts';
import { enrolReference } from '../../store/identity-repository.ts';
import { SqlStudentDirectory } from '../../store/student-lookup.ts';
import { CliError } from '../cli-error.ts';
import { cliConfig, printJson, withStore } from '../context.ts';

/**
 * `rig faces compare A.jpg B.jpg [--json]`: one face in each photo; prints the descriptors' cosine similarity and distance,
 * whether that is one person under the configuration's `identity.threshold`, and the threshold.
 * Exit 0 same person, 1 different people, 2 a photo without exactly one face or unreadable.
 */
export function registerFaces(program: Command): void {
  const faces = program.command('faces').description('人脸比对 / face checks');
  faces
    .command('compare')
    .description('比较两张照片是否为同一人 / are two photos (one face each) the same person?')
    .argument('<a>', 'first photo')
    .argument('<b>', 'second photo')
    .option('--threshold <distance>', 'distance under which the faces count as one person (default: identity.threshold)', Number)
    .option('--json', 'print {similarity, distance, samePerson, threshold} as JSON')
    .action(async (a: string, b: string, opts: { threshold?: number; json?: boolean }, command: Command) => {
      const threshold = opts.threshold ?? cliConfig(command).config.identity.threshold;
      if (!(threshold > 0)) throw new CliError(`--threshold must be a positive number / --threshold 须为正数`, 64);
      const read = async (file: string): Promise<Buffer> => {
        try {
          return await readFile(file);
        } catch {
          throw new CliError(`${file}: ${bilingual('photo.input.missing')}`, 2);
        }
      };
      const r = await compareFaces(await read(a), await read(b), threshold);
      if (!r.ok) throw new CliError(`${r.which === 'a' ? a : b}: ${bilingual(r.code)}`, 2);
      const distance = Math.round(r.distance * 1000) / 1000;
      const similarity = Math.round(r.similarity * 1000) / 1000;
      if (opts.json) process.stdout.write(`${JSON.stringify({ similarity, distance, samePerson: r.samePerson, threshold })}\n`);
      else process.stdout.write(`${r.samePerson ? '同一人 / same person' : '不是同一人 / different people'}: distance ${distance} (threshold ${threshold}), similarity ${similarity}\n`);
      process.exitCode = r.samePerson ? 0 : 1;
    });
  registerFacesEnroll(faces);
}

const PHOTO = /\.(jpe?g|png)$/i;

/** The photos of a folder or of a ZIP, by file name. */
async function referenceFiles(source: string): Promise<Array<{ name: string; bytes: Buffer }>> {
  const info = await stat(source).catch(() => null);
  if (!info) throw new CliError(`${source}: ${bilingual('photo.input.missing')}`, 66);
  if (info.isDirectory()) {
    const names = (await readdir(source)).filter((n) => PHOTO.test(n)).sort();
    return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(source, name)) })));
  }
  const zip = await readFile(source);
  // Admission photos: thousands of small JPEGs; the roster reader's limits are for one workbook.
  const limits = readLimits({ maxFileBytes: 1 << 30, maxUncompressedBytes: 1 << 30, maxZipEntries: 100_000, maxCompressionRatio: 100 });
  const spent = { bytes: 0 };
  const out: Array<{ name: string; bytes: Buffer }> = [];
  for (const entry of readZipDirectory(zip, limits)) {
    if (!PHOTO.test(entry.name)) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of openZipEntry(zip, entry, spent, limits)) chunks.push(chunk as Buffer);
    out.push({ name: basename(entry.name), bytes: Buffer.concat(chunks) });
  }
  return out;
}

/**
 * `rig faces enroll DIR|ZIP`: reference photos (e.g. admission photos) named by ID number, 采集码 or
 * student number; each becomes the student's reference face (replacing an earlier one), audited.
 * Exit 0 all enrolled, 1 some skipped (no such student, not exactly one face, unreadable).
 */
export function registerFacesEnroll(faces: Command): void {
  faces
    .command('enroll')
    .description('登记参考照片（按身份证号或采集码命名）/ enrol reference photos named by ID number or collection code')
    .argument('<source>', 'a folder or a ZIP of JPEG/PNG photos')
    .option('--json', 'print the result as JSON')
    .action(async (source: string, opts: { json?: boolean }, command: Command) => {
      const files = await referenceFiles(source);
      await withStore(command, async (ctx) => {
        const directory = new SqlStudentDirectory(ctx.db);
        const enrolled: string[] = [];
        const skipped: Array<{ file: string; reason: string }> = [];
        for (const f of files) {
          const code = normaliseScannedCode(f.name.replace(PHOTO, ''));
          const student = await directory.findByCode(code);
          if (!student) {
            skipped.push({ file: f.name, reason: 'kiosk.identify.unknown_code' });
            continue;
          }
          const d = await describePhoto(f.bytes);
          if (typeof d === 'string') {
            skipped.push({ file: f.name, reason: d });
            continue;
          }
          await enrolReference(ctx.db, { studentId: student.id, model: DESCRIPTOR_MODEL, descriptor: d, photo: f.bytes, source: f.name, at: new Date(), by: ctx.actor });
          enrolled.push(f.name);
        }
        await ctx.audit(ctx.db, { action: 'faces.enroll', target: basename(source), details: { enrolled: enrolled.length, skipped: skipped.length } });
        if (opts.json) printJson({ enrolled, skipped });
        else {
          process.stdout.write(`已登记 / enrolled: ${enrolled.length}\n`);
          for (const s of skipped) process.stdout.write(`${s.file}: ${bilingual(s.reason as MessageCode)}\n`);
        }
        process.exitCode = skipped.length ? 1 : 0;
      });
    });
}
