import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { photoMessages } from '../../domain/messages/photo.ts';
import { createPhotoValidator, PROFILES, type BackgroundSpelling, type PhotoReport } from '../../imaging/index.ts';
import { CliError } from '../cli-error.ts';

interface ValidateOptions {
  profile?: string;
  background?: BackgroundSpelling;
  json?: boolean;
  out?: string;
}

/** One file's answer as `--json` prints it (documented in the README). */
export interface ValidateResult {
  file: string;
  verdict: PhotoReport['verdict'];
  profile: string;
  error?: { code: string; message: { zh: string; en: string } };
  checks: Array<{ id: string; passed: boolean; severity: string; value: number | string | null; limit: string; reason: string; audience?: string; cause?: string; message: { zh: string; en: string } }>;
  timings: Record<string, number>;
  deliverable: { file: string | null; bytes: number; quality: number; sha256: string } | null;
}

/** `rig validate FILE...`: exit 0 all pass, 1 any fail (a photo too small included), 2 any file unreadable (the others still run). */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('检查照片是否符合规范 / check photos against the photo standard')
    .argument('<files...>', 'camera JPEG files')
    .option('--profile <id>', `photo profile (${Object.keys(PROFILES).join(', ')})`, 'chsi-2017')
    .option('--background <colour>', 'backdrop colour: blue (light-blue), white or grey (light-grey); default: the profile\'s')
    .option('--json', 'print one JSON array instead of text')
    .option('--out <dir>', 'write each deliverable as DIR/<name>.jpg')
    .action(async (files: string[], opts: ValidateOptions) => {
      if (opts.profile && !PROFILES[opts.profile]) throw new CliError(bilingual('photo.profile.unknown', { profile: opts.profile }), 64);
      if (opts.background && !['blue', 'white', 'grey', 'light-blue', 'light-grey'].includes(opts.background)) throw new CliError(bilingual('photo.background.unknown', { background: opts.background }), 64);
      if (opts.out) await mkdir(opts.out, { recursive: true });
      const validator = await createPhotoValidator({ profile: opts.profile });
      const results: ValidateResult[] = [];
      try {
        for (const file of files) {
          const result = await validateOne(validator, file, opts);
          results.push(result);
          if (!opts.json) printText(result);
        }
      } finally {
        await validator.close();
      }
      if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
      process.exitCode = results.some((r) => r.verdict === 'error') ? 2 : results.some((r) => r.verdict === 'fail') ? 1 : 0;
    });
}

async function validateOne(validator: Awaited<ReturnType<typeof createPhotoValidator>>, file: string, opts: ValidateOptions): Promise<ValidateResult> {
  let image: Buffer;
  try {
    image = await readFile(file);
  } catch {
    const m = photoMessages['photo.input.missing'];
    return { file, verdict: 'error', profile: opts.profile ?? 'chsi-2017', error: { code: 'photo.input.missing', message: { zh: m.zh, en: m.en } }, checks: [], timings: {}, deliverable: null };
  }
  const report = await validator.validate(image, { profile: opts.profile, background: opts.background, preview: false });
  let written: string | null = null;
  if (report.deliverable && opts.out) {
    written = join(opts.out, `${basename(file, extname(file))}.jpg`);
    // Written under a temporary name first: a reader never sees half a file.
    const tmp = `${written}.tmp-${process.pid}`;
    await writeFile(tmp, report.deliverable.jpeg);
    await rename(tmp, written);
  }
  const out: ValidateResult = {
    file,
    verdict: report.verdict,
    profile: report.profile,
    checks: report.checks.map((c) => ({ id: c.id, passed: c.passed, severity: c.severity, value: c.value, limit: c.limit, reason: c.reason, ...(c.audience ? { audience: c.audience, cause: c.cause } : {}), message: c.message })),
    timings: report.timings,
    deliverable: report.deliverable
      ? { file: written, bytes: report.deliverable.bytes, quality: report.deliverable.quality, sha256: report.deliverable.sha256 }
      : null,
  };
  if (report.error) out.error = report.error;
  return out;
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function printText(r: ValidateResult): void {
  const label = { pass: '通过 / PASS', fail: '不通过 / FAIL', error: '错误 / ERROR' }[r.verdict];
  say(`${r.file}: ${label} (${r.profile}, ${r.timings.total ?? 0} ms)`);
  if (r.error) say(`  ${r.error.code}: ${r.error.message.zh} / ${r.error.message.en}`);
  for (const c of r.checks) {
    const mark = c.passed ? 'ok  ' : c.severity === 'blocking' ? 'FAIL' : 'warn';
    const why = c.passed ? '' : `  ${c.reason} (${c.audience ?? 'staff'}: ${c.cause ?? '-'}): ${c.message.zh} / ${c.message.en}`;
    say(`  ${mark} ${c.id.padEnd(22)} ${String(c.value).padStart(8)}  [${c.limit}]${why}`);
  }
  if (r.deliverable) say(`  deliverable: 480x640, ${r.deliverable.bytes} bytes, q${r.deliverable.quality}${r.deliverable.file ? ` -> ${r.deliverable.file}` : ''}`);
}
