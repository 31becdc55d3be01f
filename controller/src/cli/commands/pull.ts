/** `rig pull`: mirror one day's batch from a capture room's staff listener into a folder. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { namings, type Naming } from '../../formats/export/batch.ts';
import { CliError } from '../cli-error.ts';
import { pull, PullError, type PullProgress } from '../sync/pull.ts';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** One line that rewrites itself on a terminal; a line per tenth otherwise (logs, CI). */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (p: PullProgress) => void {
  let lastTenth = -1;
  return (p) => {
    if (p.retry !== undefined) {
      stream.write(`${stream.isTTY ? '\n' : ''}${bilingual('pull.retrying', { attempt: p.retry })}\n`);
      return;
    }
    if (p.conflict !== undefined) {
      stream.write(`${stream.isTTY ? '\n' : ''}${bilingual('pull.conflict', { file: p.conflict })}\n`);
      return;
    }
    const mb = (p.bytes / 1e6).toFixed(1);
    const line = `${p.source}: ${p.done}/${p.total}  ${mb} MB`;
    if (stream.isTTY) {
      const width = 30;
      const filled = p.total ? Math.round((p.done / p.total) * width) : width;
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line}`);
      if (p.done === p.total) stream.write('\n');
    } else {
      const tenth = p.total ? Math.floor((p.done / p.total) * 10) : 10;
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`${line}\n`);
      }
    }
  };
}

export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('从采集室下载某天的照片（可断点续传、校验哈希）/ mirror a day\'s photos from a capture room, verified and resumable')
    .requiredOption('--from <url>', 'staff listener of the capture room, e.g. https://10.0.0.5:8443 (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--token <token>', 'bearer token from `rig staff token` (better: env RIG_TOKEN, not shown by ps)')
    .requiredOption('--date <date>', 'YYYY-MM-DD')
    .requiredOption('--out <dir>', 'folder to mirror into (several rooms may share it)')
    .option('--naming <rule>', 'file names: idnumber | code', 'idnumber')
    .option('--department <name>', 'only this department')
    .option('--class <name>', 'only this class')
    .action(async (opts: { from: string[]; token?: string; date: string; out: string; naming: string; department?: string; class?: string }) => {
      const token = opts.token ?? process.env.RIG_TOKEN;
      if (!token) throw new CliError('--token or RIG_TOKEN', 64);
      if (!isoDate.test(opts.date)) throw new CliError(bilingual('export.bad_date'), 64);
      if (!(namings as readonly string[]).includes(opts.naming)) throw new CliError(`--naming: ${namings.join(' | ')}`, 64);
      for (const from of opts.from) {
        try {
          const result = await pull({
            from, token, date: opts.date, outDir: resolve(opts.out), naming: opts.naming as Naming,
            department: opts.department, className: opts.class, onProgress: progressPrinter(),
          });
          console.log(bilingual('pull.done', { fetched: result.fetched, kept: result.kept, total: result.total }));
        } catch (err) {
          if (err instanceof PullError) throw new CliError(bilingual('pull.failed', { detail: err.detail }), 1);
          throw err;
        }
      }
    });
}
