/**
 * `rig staff disable|enable|tokens|revoke`: the rest of an account's life after `rig staff add`.
 * The staff service checks `disabled_at` and `revoked_at` on every request, so each change here
 * takes effect on the next request, without restarting `rig serve`.
 */
import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { StaffRepository, type StaffAccount } from '../../store/staff/users.ts';
import type { Queryable } from '../../store/database.ts';
import { CliError } from '../cli-error.ts';
import { printJson, withStore } from '../context.ts';
import { formatTable } from '../format.ts';

async function account(q: Queryable, name: string): Promise<StaffAccount> {
  const found = await new StaffRepository(q).findByName(name);
  if (!found) throw new CliError(bilingual('staff.unknown_user', { name }));
  return found;
}

/** ISO instant to `YYYY-MM-DD HH:MM` UTC for the terminal table; empty for never. */
function shortTime(iso: string | null): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}

function registerSwitch(staff: Command, verb: 'disable' | 'enable'): void {
  const disabled = verb === 'disable';
  staff
    .command(verb)
    .description(disabled
      ? '停用账号：立即不能登录，已登录的会话和令牌立即失效 / disable an account: no sign-in, its sessions end and its tokens stop working at once'
      : '重新启用账号（其未撤销的令牌恢复有效）/ enable an account again (its unrevoked tokens work again)')
    .argument('<name>', 'account name')
    .action(async (name: string, _opts: unknown, command: Command) => {
      await withStore(command, async (ctx) => {
        const changed = await ctx.db.transaction(async (tx) => {
          const user = await account(tx, name);
          const did = await new StaffRepository(tx).setDisabled(user.id, disabled, new Date());
          if (did) await ctx.audit(tx, { action: disabled ? 'staff.user_disable' : 'staff.user_enable', target: user.name });
          return did;
        });
        const code = disabled ? (changed ? 'staff.user_disabled' : 'staff.already_disabled') : (changed ? 'staff.user_enabled' : 'staff.already_enabled');
        console.log(bilingual(code, { name }));
      });
    });
}

export function registerStaffLifecycle(staff: Command): void {
  registerSwitch(staff, 'disable');
  registerSwitch(staff, 'enable');

  staff
    .command('tokens')
    .description('列出账号的令牌（编号、用途、签发、最近使用、撤销）/ list the account\'s bearer tokens')
    .argument('<name>', 'account name')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, command: Command) => {
      await withStore(command, async (ctx) => {
        const user = await account(ctx.db, name);
        const tokens = (await new StaffRepository(ctx.db).listTokens(user.id)).map(({ userName: _, ...t }) => t);
        // Listing credentials is itself worth knowing about afterwards (who looked, when).
        await ctx.audit(ctx.db, { action: 'staff.token_list', target: user.name, details: { count: tokens.length } });
        if (opts.json) return printJson(tokens);
        if (tokens.length === 0) return console.log(bilingual('staff.no_tokens', { name }));
        console.log(formatTable(
          ['id', 'label', 'created (UTC)', 'last used', 'revoked'],
          tokens.map((t) => [String(t.id), t.label ?? '', shortTime(t.createdAt), shortTime(t.lastUsedAt), shortTime(t.revokedAt)]),
        ));
      });
    });

  staff
    .command('revoke')
    .description('撤销令牌（立即失效）/ revoke a bearer token (refused from the next request on)')
    .argument('<token-id>', 'the id shown by `rig staff tokens`')
    .action(async (tokenId: string, _opts: unknown, command: Command) => {
      const id = Number(tokenId);
      if (!/^\d+$/.test(tokenId) || !Number.isSafeInteger(id)) throw new CliError(bilingual('staff.bad_token_id'), 64);
      await withStore(command, async (ctx) => {
        const result = await ctx.db.transaction(async (tx) => {
          const repo = new StaffRepository(tx);
          const token = await repo.findToken(id);
          if (!token) throw new CliError(bilingual('staff.unknown_token', { id }));
          const did = await repo.revokeToken(id, new Date());
          if (did) await ctx.audit(tx, { action: 'staff.token_revoke', target: token.userName, details: { tokenId: id, label: token.label } });
          return did;
        });
        console.log(bilingual(result ? 'staff.token_revoked' : 'staff.token_already_revoked', { id }));
      });
    });
}
