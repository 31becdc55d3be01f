import { Option, type Command } from 'commander';
import { wallClock } from '../../domain/local-time.ts';
import { bilingual } from '../../domain/messages/index.ts';
import { visibleText } from '../../domain/visible-text.ts';
import type { RosterImport } from '../../domain/roster/plan.ts';
import { importRosterFile } from '../../app/roster-import.ts';
import { TEXT_ENCODINGS, type TextEncodingName } from '../../formats/spreadsheet/csv.ts';
import { withStore } from '../context.ts';
import { noProgress, progressBar, type ProgressBar } from '../progress.ts';
import { sqlRosterStore } from '../../store/students.ts';

/** Files above this size take long enough to read that a progress bar helps (about 3,000 rows). */
const LARGE_FILE_BYTES = 256 * 1024;

interface ImportOptions {
  dryRun?: boolean;
  json?: boolean;
  encoding?: TextEncodingName;
}

export function registerImportRoster(program: Command): void {
  program
    .command('import-roster')
    .description('导入资格审查名单（XLSX 或 CSV，UTF-8/GBK）/ import the roster (XLSX or CSV, UTF-8/GBK); all or nothing')
    .argument('<file>', 'roster file (.xlsx or .csv)')
    .option('--dry-run', '只检查，不写入 / check and compare only, write nothing')
    .option('--json', '输出 JSON / print {added, updated, unchanged, errors}')
    .addOption(encodingOption())
    .action(async (file: string, opts: ImportOptions, command: Command) => {
      await withStore(command, async (ctx) => {
        let bar: ProgressBar = noProgress;
        try {
          const outcome = await importRosterFile(sqlRosterStore(ctx.db), file, {
            dryRun: opts.dryRun === true,
            // Birth dates after today, in the school's zone, cannot be real.
            today: wallClock(new Date(), ctx.config.timeZone).date,
            actor: ctx.actor,
            encoding: opts.encoding,
            onStart: (bytes) => {
              if (process.stderr.isTTY && bytes > LARGE_FILE_BYTES) bar = progressBar();
            },
            onProgress: (phase, fraction) => bar.update(phase === 'read' ? '读取 / reading' : '写入 / writing', fraction),
          });
          bar.done();
          report(outcome.plan, opts);
        } finally {
          bar.done();
        }
      });
    });
}

function report(plan: RosterImport, opts: ImportOptions): void {
  const counts = { added: plan.add.length, updated: plan.update.length, unchanged: plan.unchanged };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...counts, errors: plan.errors, ...(plan.errorsOmitted ? { errorsOmitted: plan.errorsOmitted } : {}) })}\n`);
  } else if (plan.errors.length > 0) {
    for (const e of plan.errors) {
      const where = e.row > 0 ? bilingual('roster.import.row', { row: e.row }) : '';
      // Column headers and values come from the file: written out, never interpreted by the terminal.
      process.stdout.write(`${visibleText([where, e.column, e.code].filter((s) => s !== '').join('  '))}  ${visibleText(e.message)}\n`);
    }
    if (plan.errorsOmitted) process.stdout.write(`${bilingual('roster.import.omitted', { count: plan.errorsOmitted })}\n`);
    const rows = new Set(plan.errors.map((e) => e.row)).size;
    process.stdout.write(`${bilingual('roster.import.failed', { rows, errors: plan.errors.length + (plan.errorsOmitted ?? 0) })}\n`);
  } else {
    process.stdout.write(`${bilingual(opts.dryRun ? 'roster.import.dry_run' : 'roster.import.done', counts)}\n`);
  }
  if (plan.errors.length > 0) process.exitCode = 1;
}

/** `--encoding` for CSV files whose encoding the bytes alone cannot settle. */
export function encodingOption(): Option {
  return new Option('--encoding <name>', 'CSV 文件编码（默认按整个文件判断）/ CSV encoding (default: decided from the whole file)').choices([...TEXT_ENCODINGS]);
}
