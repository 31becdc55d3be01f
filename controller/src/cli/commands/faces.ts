import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { enrolReferences, openReferenceZip, oversizedPhoto, type ReferenceFile } from '../../app/reference-enrolment.ts';
import { isReferencePhotoName, REFERENCE_PHOTO_LIMITS } from '../../domain/identity/reference-photos.ts';
import { bilingual } from '../../domain/messages/index.ts';
import { compareFaces, faceDescriber } from '../../imaging/index.ts';
import { sqlReferenceFaces } from '../../store/identity-repository.ts';
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

/** The photos of a folder in name order, each read only when the enrolment takes it. */
async function* folderFiles(dir: string): AsyncGenerator<ReferenceFile> {
  for (const name of (await readdir(dir)).filter(isReferencePhotoName).sort()) {
    const info = await stat(join(dir, name)).catch(() => null);
    if (info && info.size > REFERENCE_PHOTO_LIMITS.photoBytes) {
      yield oversizedPhoto(name);
      continue;
    }
    const bytes = info?.isFile() ? await readFile(join(dir, name)).catch(() => null) : null;
    yield bytes ? { name, bytes } : { name, problem: { code: 'photo.input.missing' } };
  }
}

/** The photos of a folder or of a ZIP; a ZIP that cannot be read or breaks a limit ends the command (exit 65). */
async function referenceFiles(source: string): Promise<AsyncIterable<ReferenceFile>> {
  const info = await stat(source).catch(() => null);
  if (!info) throw new CliError(`${source}: ${bilingual('photo.input.missing')}`, 66);
  if (info.isDirectory()) return folderFiles(source);
  const zip = openReferenceZip(await readFile(source));
  if (!zip.ok) throw new CliError(`${source}: ${bilingual(zip.code)}`, 65);
  return zip.files;
}

/**
 * `rig faces enroll DIR|ZIP`: reference photos (e.g. admission photos) named by ID number, 采集码 or
 * student number; each becomes the student's reference face (replacing an earlier one), audited.
 * Exit 0 all enrolled, 1 some skipped (no such student, not exactly one face, unreadable, too large).
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
        const { enrolled, skipped } = await enrolReferences(sqlReferenceFaces(ctx.db), faceDescriber, files, {
          actor: ctx.actor, origin: 'local', source: basename(source), now: () => new Date(),
        });
        if (opts.json) printJson({ enrolled, skipped: skipped.map((s) => ({ file: s.file, reason: s.code, ...(s.params ? { params: s.params } : {}) })) });
        else {
          process.stdout.write(`已登记 / enrolled: ${enrolled.length}\n`);
          for (const s of skipped) process.stdout.write(`${s.file}: ${bilingual(s.code, s.params)}\n`);
        }
        process.exitCode = skipped.length ? 1 : 0;
      });
    });
}
