/** `rig verify [--repair] [--json]`: database and image archive reconciled; exit 0 only when clean. */
import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { verifyStore, type VerifyProblem } from '../../store/verify.ts';
import { printJson, withStore } from '../context.ts';

function line(p: VerifyProblem): string {
  return `  ${p.code}  ${p.path ?? '-'}\n    ${bilingual(p.code)}\n    ${p.detail}`;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('核对数据库与照片存档（文件、校验值、序号、数据库完整性）/ reconcile the database and the image archive')
    .option('--repair', 'move archive files that no record names into DATA/quarantine/ (kept, never deleted)')
    .option('--json', 'print {ok, checked, problems: [{code, path, detail}], repaired}')
    .action(async (opts: { repair?: boolean; json?: boolean }, command: Command) => {
      await withStore(command, async (ctx) => {
        const report = await verifyStore(ctx.db, ctx.layout.root, { repair: opts.repair === true, actor: ctx.actor });
        process.exitCode = report.ok ? 0 : 1;
        if (opts.json) return printJson(report);
        if (report.repaired.length) {
          console.log(bilingual('verify.repaired', { n: report.repaired.length }));
          for (const p of report.repaired) console.log(line(p));
        }
        if (report.ok) return console.log(bilingual('verify.ok', { photos: report.checked.photos, files: report.checked.files }));
        console.log(bilingual('verify.problems', { n: report.problems.length }));
        for (const p of report.problems) console.log(line(p));
      });
    });
}
