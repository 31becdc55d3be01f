import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { compareFaces } from '../../imaging/index.ts';
import { CliError } from '../cli-error.ts';
import { cliConfig } from '../context.ts';

/**
 * `rig faces compare A.jpg B.jpg [--json]`: one face in each photo; prints the descriptor distance,
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
    .option('--json', 'print {distance, samePerson, threshold} as JSON')
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
      if (opts.json) process.stdout.write(`${JSON.stringify({ distance, samePerson: r.samePerson, threshold })}\n`);
      else process.stdout.write(`${r.samePerson ? '同一人 / same person' : '不是同一人 / different people'}: distance ${distance} (threshold ${threshold})\n`);
      process.exitCode = r.samePerson ? 0 : 1;
    });
}
