import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { listAudit } from '../../store/audit-log.ts';
import { printJson, withStore } from '../context.ts';
import { formatTable } from '../format.ts';
import { CliError } from '../cli-error.ts';

/** `rig audit`: the newest audit-log rows (who, what, when, from where). */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('查看审计日志（最新在前）/ show the audit log, newest first')
    .option('--action <prefix>', 'only this action or its sub-actions, e.g. schedule or makeup.cert')
    .option('--limit <n>', 'at most this many rows', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { action?: string; limit: string; json?: boolean }, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit <= 0) throw new CliError('--limit: expected a positive integer', 64);
      await withStore(cmd, async (ctx) => {
        const rows = await listAudit(ctx.db, { action: opts.action, limit });
        if (opts.json) return printJson(rows);
        if (rows.length === 0) return console.log(bilingual('schedule.none'));
        console.log(
          formatTable(
            ['#', 'at (UTC)', 'actor', 'origin', 'action', 'target'],
            rows.map((r) => [String(r.id), r.at.replace('T', ' ').slice(0, 19), r.actor, r.origin, r.action, r.target ?? '']),
          ),
        );
      });
    });
}
