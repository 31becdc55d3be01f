/** `rig export`: one day's batch (or a department's, a class's) as a ZIP file, locally. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { sqlAuditTrail } from '../../store/audit-log.ts';
import { exportBatchToFile } from '../../app/export-file.ts';
import { namings, type Naming } from '../../formats/export/batch.ts';
import { SqlPhotoSource } from '../../store/export/photo-source.ts';
import { CliError } from '../cli-error.ts';
import { withStore } from '../context.ts';
import { exportTargetProblem } from './export-target.ts';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('导出某天的照片包（ZIP：照片、manifest.csv/xlsx、SHA256SUMS）/ export a day\'s batch as a ZIP')
    .requiredOption('--date <date>', 'YYYY-MM-DD')
    .requiredOption('--out <file>', 'ZIP file to write')
    .option('--naming <rule>', 'file names: idnumber | code', 'idnumber')
    .option('--department <name>', 'only this department')
    .option('--class <name>', 'only this class')
    .option('--force', '覆盖已存在的文件 / replace an existing file')
    .action(async (opts: { date: string; out: string; naming: string; department?: string; class?: string; force?: boolean }, command: Command) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new CliError(bilingual('export.bad_date'), 64);
      if (!(namings as readonly string[]).includes(opts.naming)) throw new CliError(`--naming: ${namings.join(' | ')}`, 64);
      await withStore(command, async (ctx) => {
        const out = resolve(opts.out);
        const problem = exportTargetProblem(out, ctx.layout.root, opts.force === true);
        // EX_CANTCREAT: the output cannot be created where asked.
        if (problem) throw new CliError(bilingual(problem, { file: out, data: ctx.layout.root }), 73);
        const tty = process.stderr.isTTY;
        const { files } = await exportBatchToFile(
          new SqlPhotoSource(ctx.db, ctx.config.school.code), { trail: sqlAuditTrail(ctx.db), actor: ctx.actor }, ctx.layout.root,
          { date: opts.date, department: opts.department, className: opts.class, naming: opts.naming as Naming },
          out, new Date(),
          tty ? (done, total) => process.stderr.write(`\r${done}/${total}${done === total ? '\n' : ''}`) : undefined,
        );
        if (files === 0) process.stderr.write(`${bilingual('export.empty')}\n`);
        console.log(bilingual('export.written', { count: files, file: out }));
      });
    });
}
