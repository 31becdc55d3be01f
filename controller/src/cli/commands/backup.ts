/**
 * `rig backup --out DIR` and `rig restore DIR [--force]`: the data folder to a folder or a mounted
 * disk and back. Backups may run while `rig serve` does; a restore wants it stopped.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { bilingual, type BackupCode } from '../../domain/messages/index.ts';
import { createBackup } from '../../store/backup/backup.ts';
import { ManifestError } from '../../store/backup/manifest.ts';
import { restoreBackup, RestoreRefused } from '../../store/backup/restore.ts';
import { cliConfig, printJson, withStore } from '../context.ts';
import { CliError } from '../cli-error.ts';

/** sysexits EX_DATAERR: the backup itself is damaged or not a backup. */
const EXIT_DATA = 65;
/** sysexits EX_CANTCREAT: the target is in use. */
const EXIT_CANTCREAT = 73;

function problemLines(problems: Array<{ code: BackupCode; path: string }>): string {
  return problems.map((p) => `  ${p.code}  ${p.path}\n    ${bilingual(p.code)}`).join('\n');
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('备份数据库与照片存档到目录或U盘（增量，校验值核对）/ back up the database and the archive to a folder or disk')
    .requiredOption('--out <dir>', 'backup folder (created if absent; an earlier backup there is updated incrementally)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { out: string; json?: boolean }, command: Command) => {
      await withStore(command, async (ctx) => {
        const report = await createBackup(ctx.db, ctx.layout.root, resolve(opts.out), new Date());
        process.exitCode = report.problems.length > 0 ? 1 : 0;
        if (opts.json) return printJson(report);
        console.log(bilingual('backup.done', { folder: report.folder, dbBytes: report.database.bytes, copied: report.copied, unchanged: report.unchanged }));
        if (report.unreferenced > 0) console.log(bilingual('backup.unreferenced', { n: report.unreferenced }));
        if (report.problems.length > 0) console.log(`${bilingual('backup.problems', { n: report.problems.length })}\n${problemLines(report.problems)}`);
      });
    });

  program
    .command('restore')
    .description('从备份恢复数据目录（先核对校验值）/ restore the data folder from a backup (hashes checked first)')
    .argument('<dir>', 'backup folder written by rig backup')
    .option('--force', 'replace a data folder that is not empty (its database and archive are moved aside, not deleted)')
    .action(async (dir: string, opts: { force?: boolean }, command: Command) => {
      const { layout } = cliConfig(command);
      try {
        const report = await restoreBackup(resolve(dir), layout.root, { force: opts.force === true, now: new Date() });
        if (report.movedAside) console.log(bilingual('restore.moved_aside', { folder: report.movedAside }));
        console.log(bilingual('restore.done', { createdAt: report.createdAt, files: report.files, schemaVersion: report.schemaVersion }));
      } catch (err) {
        if (err instanceof ManifestError) throw new CliError(bilingual(err.code, { folder: err.folder }), EXIT_DATA);
        if (err instanceof RestoreRefused && err.code === 'restore.not_empty') throw new CliError(bilingual(err.code, { folder: layout.root }), EXIT_CANTCREAT);
        if (err instanceof RestoreRefused) throw new CliError(`${bilingual(err.code, { n: err.problems.length })}\n${problemLines(err.problems)}`, EXIT_DATA);
        throw err;
      }
    });
}
