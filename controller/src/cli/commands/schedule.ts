import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { parseDate, parseSlot } from '../../domain/schedule-input.ts';
import { importSlotFile } from '../../app/schedule-import.ts';
import { visibleText } from '../../domain/visible-text.ts';
import type { TextEncodingName } from '../../formats/spreadsheet/csv.ts';
import { encodingOption } from './import-roster.ts';
import { insertSlot, listSlots, roomClash, sqlSlotStore } from '../../store/schedule-repository.ts';
import { printJson, withStore } from '../context.ts';
import { failWithFieldErrors, formatTable } from '../format.ts';
import { CliError } from '../cli-error.ts';

interface AddOptions {
  room?: string;
  department?: string;
  class?: string;
  date?: string;
  start?: string;
  end?: string;
  category?: string;
  json?: boolean;
}

/** `rig schedule add|list|import`: shoot slots per department or class. */
export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('拍摄时段（按院系或班级）/ shoot slots per department or class');

  schedule
    .command('add')
    .description('添加一个拍摄时段 / add one slot')
    .requiredOption('--room <room>', '地点 / room')
    .option('--department <name>', '院系 / department')
    .option('--class <name>', '班级 / class (with --department when class names repeat across departments)')
    .requiredOption('--date <YYYY-MM-DD>', '日期 / date')
    .requiredOption('--start <HH:MM>', '开始时间 / start time (school time zone)')
    .requiredOption('--end <HH:MM>', '结束时间 / end time; at or before start means the next day')
    .option('--category <regular|adult>', '仅限该教育类别（普通/成人）/ only this education category (default: any)')
    .option('--json', 'print the stored slot as JSON')
    .action(async (opts: AddOptions, cmd: Command) => {
      const parsed = parseSlot({ room: opts.room, department: opts.department, className: opts.class, date: opts.date, start: opts.start, end: opts.end, category: opts.category });
      if (!parsed.ok) failWithFieldErrors(parsed.errors, opts.json);
      const wanted = parsed.value;
      await withStore(cmd, async (ctx) => {
        const result = await ctx.db.transaction(async (tx) => {
          const clash = await roomClash(tx, wanted);
          if (clash) return { clash };
          const slot = await insertSlot(tx, wanted);
          await ctx.audit(tx, { action: 'schedule.add', target: `slot:${slot.id}`, details: { ...wanted } });
          return { slot };
        });
        const c = result.clash;
        if (c) {
          failWithFieldErrors([{ field: 'start', code: 'schedule.room_overlap', params: { other: `#${c.id} ${c.date} ${c.start}-${c.end}` } }], opts.json);
        }
        if (!result.slot) return;
        if (opts.json) printJson(result.slot);
        else console.log(bilingual('schedule.slot_added', { id: result.slot.id }));
      });
    });

  schedule
    .command('list')
    .description('列出拍摄时段 / list slots')
    .option('--date <YYYY-MM-DD>', 'only this date')
    .option('--department <name>', 'only this department')
    .option('--class <name>', 'only this class')
    .option('--room <room>', 'only this room')
    .option('--json', 'print JSON')
    .action(async (opts: { date?: string; department?: string; class?: string; room?: string; json?: boolean }, cmd: Command) => {
      const date = opts.date === undefined ? undefined : parseDate(opts.date);
      if (date === null) failWithFieldErrors([{ field: 'date', code: 'schedule.bad_date' }], opts.json);
      await withStore(cmd, async (ctx) => {
        const slots = await listSlots(ctx.db, { date, department: opts.department, className: opts.class, room: opts.room });
        if (opts.json) return printJson(slots);
        if (slots.length === 0) return console.log(bilingual('schedule.none'));
        console.log(
          formatTable(
            ['#', '日期 date', '时间 time', '地点 room', '院系 department', '班级 class', '类别 category'],
            slots.map((s) => [String(s.id), s.date, `${s.start}-${s.end}`, s.room, s.department ?? '', s.className ?? '', s.category ?? '']),
          ),
        );
      });
    });

  schedule
    .command('import')
    .description('从 XLSX/CSV 导入时段，全部成功或全部不导入 / import slots from XLSX or CSV, all or nothing')
    .argument('<file>', '.xlsx or .csv (UTF-8 or GBK); columns 地点, 院系 and/or 班级, 日期, 开始时间, 结束时间 (or 时间段 08:30-11:30)')
    .option('--dry-run', 'check only, write nothing')
    .option('--json', 'print {added, unchanged, errors: [{row, column, code, message}]}')
    .addOption(encodingOption())
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean; encoding?: TextEncodingName }, cmd: Command) => {
      await withStore(cmd, async (ctx) => {
        const report = await importSlotFile(sqlSlotStore(ctx.db), file, {
          dryRun: opts.dryRun,
          encoding: opts.encoding,
          audit: (trail, details) => trail.append({ actor: ctx.actor, origin: 'local', action: 'schedule.import', target: details.file, details }),
        });
        if (opts.json) printJson({ added: report.added, unchanged: report.unchanged, errors: report.errors });
        else if (report.errors.length === 0) {
          console.log(bilingual(report.dryRun ? 'schedule.dry_run' : 'schedule.imported', { added: report.added, unchanged: report.unchanged }));
        } else {
          for (const e of report.errors) console.error(visibleText(`${e.row > 0 ? `row ${e.row}` : file}${e.column ? ` [${e.column}]` : ''}: ${e.message} (${e.code})`));
        }
        if (report.errors.length > 0) throw new CliError(opts.json ? '' : bilingual('schedule.import_failed', { count: report.errors.length }), 1);
      });
    });
}
