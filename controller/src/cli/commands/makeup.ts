import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { parseCertificate, parseDate, parseMakeupWindow } from '../../domain/schedule-input.ts';
import { wallClock } from '../../domain/local-time.ts';
import { insertCertificate, listCertificates, revokeCertificate } from '../../store/certificate-repository.ts';
import { formatPeriods, insertMakeupWindow, listMakeupWindows, sqlMakeupWindowStore } from '../../store/schedule-repository.ts';
import { importMakeupWindows } from '../../app/schedule-import.ts';
import type { TextEncodingName } from '../../formats/spreadsheet/csv.ts';
import { visibleText } from '../../domain/visible-text.ts';
import { encodingOption } from './import-roster.ts';
import { printJson, withStore } from '../context.ts';
import { CliError } from '../cli-error.ts';
import { failWithFieldErrors, formatTable, maskIdNumber } from '../format.ts';

interface WindowOptions {
  from?: string;
  to?: string;
  weekdays?: string;
  periods?: string;
  room?: string;
  category?: string;
  json?: boolean;
}

interface CertOptions {
  idNumber?: string;
  name?: string;
  gender?: string;
  schoolCode?: string;
  schoolName?: string;
  educationLevel?: string;
  address?: string;
  postcode?: string;
  contactPerson?: string;
  phone?: string;
  json?: boolean;
}

/** `rig makeup window add|list`, `rig makeup cert add|list`: make-up hours and certificates. */
export function registerMakeup(program: Command): void {
  const makeup = program.command('makeup').description('补采：补采时间与补采证明 / make-up windows and certificates');

  const window = makeup.command('window').description('补采时间 / make-up windows');
  window
    .command('add')
    .description('添加补采时间（默认周一至周五 08:30-11:30、14:30-17:30）/ add a make-up window (default Mon-Fri 08:30-11:30, 14:30-17:30)')
    .requiredOption('--from <YYYY-MM-DD>', 'first date')
    .option('--to <YYYY-MM-DD>', 'last date, inclusive (default: --from)')
    .option('--weekdays <list>', 'ISO weekdays, Monday = 1, e.g. 1-5 or 1,3,5', '1-5')
    .option('--periods <list>', 'hours, e.g. 08:30-11:30,14:30-17:30', '08:30-11:30,14:30-17:30')
    .option('--room <room>', '地点 / room')
    .option('--category <regular|adult>', '仅限该教育类别（普通/成人）/ only this education category (default: any)')
    .option('--json', 'print the stored window as JSON')
    .action(async (opts: WindowOptions, cmd: Command) => {
      const parsed = parseMakeupWindow({ startDate: opts.from, endDate: opts.to, weekdays: opts.weekdays, periods: opts.periods, room: opts.room, category: opts.category });
      if (!parsed.ok) failWithFieldErrors(parsed.errors, opts.json);
      await withStore(cmd, async (ctx) => {
        const stored = await ctx.db.transaction(async (tx) => {
          const w = await insertMakeupWindow(tx, parsed.value);
          await ctx.audit(tx, { action: 'makeup.window.add', target: `makeup-window:${w.id}`, details: { ...parsed.value } });
          return w;
        });
        if (opts.json) printJson(stored);
        else console.log(bilingual('makeup.window_added', { id: stored.id }));
      });
    });
  window
    .command('list')
    .description('列出补采时间 / list make-up windows')
    .option('--from <YYYY-MM-DD>', 'windows still open on or after this date')
    .option('--to <YYYY-MM-DD>', 'windows starting on or before this date')
    .option('--json', 'print JSON')
    .action(async (opts: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const from = opts.from === undefined ? undefined : parseDate(opts.from);
      const to = opts.to === undefined ? undefined : parseDate(opts.to);
      const bad = [from === null ? 'from' : null, to === null ? 'to' : null].filter((f): f is string => f !== null);
      if (bad.length > 0) failWithFieldErrors(bad.map((field) => ({ field, code: 'schedule.bad_date' })), opts.json);
      await withStore(cmd, async (ctx) => {
        const windows = await listMakeupWindows(ctx.db, { from: from ?? undefined, to: to ?? undefined });
        if (opts.json) return printJson(windows);
        if (windows.length === 0) return console.log(bilingual('schedule.none'));
        console.log(
          formatTable(
            ['#', '日期 dates', '星期 weekdays', '时段 hours', '地点 room', '类别 category'],
            windows.map((w) => [String(w.id), `${w.startDate}..${w.endDate}`, w.weekdays.join(','), formatPeriods(w.periods), w.room ?? '', w.category ?? '']),
          ),
        );
      });
    });

  window
    .command('import')
    .description('从 XLSX/CSV 导入补采时间，全部成功或全部不导入 / import make-up windows from XLSX or CSV, all or nothing')
    .argument('<file>', '.xlsx or .csv (UTF-8 or GBK); columns 开始日期, 结束日期 (or 日期 2026-04-11~2026-04-21), 星期 (1-5), 时段 (08:30-11:30,14:30-17:30), 地点, 教育类别 (普通/成人)')
    .option('--dry-run', 'check only, write nothing')
    .option('--json', 'print {added, unchanged, errors: [{row, column, code, message}]}')
    .addOption(encodingOption())
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean; encoding?: TextEncodingName }, cmd: Command) => {
      await withStore(cmd, async (ctx) => {
        const report = await importMakeupWindows(sqlMakeupWindowStore(ctx.db), { file }, {
          dryRun: opts.dryRun,
          encoding: opts.encoding,
          audit: (trail, details) => trail.append({ actor: ctx.actor, origin: 'local', action: 'makeup.window.import', target: details.file, details }),
        });
        if (opts.json) printJson({ added: report.added, unchanged: report.unchanged, errors: report.errors });
        else if (report.errors.length === 0) {
          console.log(bilingual(report.dryRun ? 'makeup.windows_dry_run' : 'makeup.windows_imported', { added: report.added, unchanged: report.unchanged }));
        } else {
          for (const e of report.errors) console.error(visibleText(`${e.row > 0 ? `row ${e.row}` : file}${e.column ? ` [${e.column}]` : ''}: ${e.message} (${e.code})`));
        }
        if (report.errors.length > 0) throw new CliError(opts.json ? '' : bilingual('schedule.import_failed', { count: report.errors.length }), 1);
      });
    });

  const cert = makeup.command('cert').description('补采证明 / make-up certificates');
  cert
    .command('add')
    .description('登记学校开具的补采证明 / record a make-up certificate issued by the school')
    .requiredOption('--id-number <id>', '身份证号 / ID number')
    .requiredOption('--name <name>', '姓名 / name')
    .requiredOption('--gender <M|F>', '性别 / gender: M, F, 男 or 女')
    .requiredOption('--education-level <level>', '学历层次 / education level, e.g. 本科')
    .option('--school-code <code>', '院校代码 / school code (default: from config)')
    .option('--school-name <name>', '学校名称 / school name (default: from config)')
    .requiredOption('--address <text>', '学校联系地址 / school contact address')
    .requiredOption('--postcode <digits>', '邮政编码 / postcode')
    .requiredOption('--contact-person <name>', '联系人 / contact person')
    .requiredOption('--phone <number>', '联系电话 / contact phone')
    .option('--json', 'print the stored certificate as JSON')
    .action(async (opts: CertOptions, cmd: Command) => {
      await withStore(cmd, async (ctx) => {
        const parsed = parseCertificate({
          ...opts,
          schoolCode: opts.schoolCode ?? ctx.config.school.code,
          schoolName: opts.schoolName ?? ctx.config.school.name,
        }, wallClock(new Date(), ctx.config.timeZone).date);
        if (!parsed.ok) failWithFieldErrors(parsed.errors, opts.json);
        const stored = await ctx.db.transaction(async (tx) => {
          const c = await insertCertificate(tx, { ...parsed.value, issuedAt: new Date().toISOString(), issuedBy: ctx.actor, revokedAt: null });
          await ctx.audit(tx, { action: 'makeup.cert.add', target: `makeup-certificate:${c.id}`, details: { idNumber: maskIdNumber(c.idNumber) } });
          return c;
        });
        if (opts.json) printJson(stored);
        else console.log(bilingual('makeup.cert_added', { id: stored.id }));
      });
    });
  cert
    .command('revoke')
    .description('撤销一份补采证明 / revoke a make-up certificate')
    .argument('<id>', 'certificate number (# in the list)')
    .option('--reason <text>', 'why, for the audit log')
    .action(async (id: string, opts: { reason?: string }, cmd: Command) => {
      const certId = Number(id);
      if (!Number.isInteger(certId) || certId <= 0) throw new CliError(bilingual('makeup.cert_not_found', { id }), 1);
      await withStore(cmd, async (ctx) => {
        const done = await ctx.db.transaction(async (tx) => {
          if (!(await revokeCertificate(tx, certId))) return false;
          await ctx.audit(tx, { action: 'makeup.cert.revoke', target: `makeup-certificate:${certId}`, details: { reason: opts.reason ?? null } });
          return true;
        });
        if (!done) throw new CliError(bilingual('makeup.cert_not_found', { id }), 1);
        console.log(bilingual('makeup.cert_revoked', { id }));
      });
    });
  cert
    .command('list')
    .description('列出补采证明（身份证号中间位隐藏，--json 为完整值）/ list certificates (ID numbers masked; full in --json)')
    .option('--id-number <id>', 'only this student')
    .option('--all', 'include revoked certificates')
    .option('--json', 'print JSON')
    .action(async (opts: { idNumber?: string; all?: boolean; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (ctx) => {
        const list = await listCertificates(ctx.db, { idNumber: opts.idNumber, includeRevoked: opts.all });
        if (opts.json) return printJson(list);
        if (list.length === 0) return console.log(bilingual('schedule.none'));
        console.log(
          formatTable(
            ['#', '姓名 name', '身份证号 ID', '学历层次 level', '联系人 contact', '电话 phone', '登记 issued', '状态 state'],
            list.map((c) => [
              String(c.id),
              c.name,
              maskIdNumber(c.idNumber),
              c.educationLevel,
              c.contact.person,
              c.contact.phone,
              c.issuedAt.slice(0, 10),
              c.revokedAt ? 'revoked' : 'valid',
            ]),
          ),
        );
      });
    });
}
