/** `rig staff add|token|list` (and disable|enable|tokens|revoke): staff accounts for the LAN service. */
import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { isStaffRole, staffNamePattern } from '../../domain/staff.ts';
import { StaffRepository } from '../../store/staff/users.ts';
import { visibleText } from '../../domain/visible-text.ts';
import { hashPassword, minimumPasswordLength, newBearerToken, secretHash } from '../../server/staff/credentials.ts';
import { CliError } from '../cli-error.ts';
import { withStore } from '../context.ts';
import { askHidden, readAllStdin } from './terminal.ts';
import { registerStaffLifecycle } from './staff-lifecycle.ts';
import { registerStaffTls } from './staff-tls.ts';

async function obtainPassword(fromStdin: boolean): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = (await readAllStdin()).replace(/\r?\n$/, '');
  } else {
    if (!process.stdin.isTTY) throw new CliError(bilingual('staff.no_terminal'), 64);
    password = await askHidden('密码 / password: ');
    const again = await askHidden('再次输入 / repeat: ');
    if (again !== password) throw new CliError(bilingual('staff.password_mismatch'));
  }
  if ([...password].length < minimumPasswordLength) {
    throw new CliError(bilingual('staff.password_too_short', { min: minimumPasswordLength }));
  }
  return password;
}

export function registerStaff(program: Command): void {
  const staff = program.command('staff').description('教务处账号 / staff accounts for the LAN service');

  staff
    .command('add')
    .description('创建或重设账号 / create an account (or reset its role and password)')
    .argument('<name>', 'account name (letters, digits, . _ -)')
    .requiredOption('--role <role>', 'admin | staff | technician')
    .option('--password-stdin', 'read the password from standard input (scripts)')
    .action(async (name: string, opts: { role: string; passwordStdin?: boolean }, command: Command) => {
      if (!staffNamePattern.test(name)) throw new CliError(bilingual('staff.bad_name'), 64);
      const role = opts.role;
      if (!isStaffRole(role)) throw new CliError(bilingual('staff.bad_role'), 64);
      const password = await obtainPassword(opts.passwordStdin === true);
      const hash = await hashPassword(password);
      await withStore(command, async (ctx) => {
        const now = new Date();
        const result = await ctx.db.transaction(async (tx) => {
          const r = await new StaffRepository(tx).upsertUser(name, role, hash, now);
          await ctx.audit(tx, {
            action: r.created ? 'staff.user_add' : 'staff.user_reset', target: name,
            details: r.created ? { role } : { role, sessionsEnded: r.sessionsEnded, tokensRevoked: r.tokensRevoked, disabled: r.disabled },
          });
          return r;
        });
        console.log(bilingual(result.created ? 'staff.user_added' : 'staff.user_updated', { name, role }));
        if (!result.created) console.log(bilingual('staff.credentials_ended', { sessions: result.sessionsEnded, tokens: result.tokensRevoked }));
        // Re-enabling is its own, audited, command.
        if (result.disabled) console.log(bilingual('staff.still_disabled', { name }));
      });
    });

  staff
    .command('token')
    .description('为脚本签发令牌 / issue a bearer token for scripts (rig pull)')
    .argument('<name>', 'account name')
    .option('--label <text>', 'what the token is for')
    .action(async (name: string, opts: { label?: string }, command: Command) => {
      await withStore(command, async (ctx) => {
        const account = await new StaffRepository(ctx.db).findByName(name);
        if (!account || account.disabled) throw new CliError(bilingual('staff.unknown_user', { name }));
        const token = newBearerToken();
        await ctx.db.transaction(async (tx) => {
          await new StaffRepository(tx).createToken(account.id, secretHash(token), opts.label ?? null, new Date());
          await ctx.audit(tx, { action: 'staff.token_issue', target: name, details: { label: opts.label ?? null } });
        });
        process.stderr.write(`${bilingual('staff.token_created')}\n`);
        console.log(token);
      });
    });

  staff
    .command('list')
    .description('列出账号 / list accounts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withStore(command, async (ctx) => {
        const rows = (await new StaffRepository(ctx.db).listUsers()).map((u) => ({ name: u.name, role: u.role, disabled: u.disabled }));
        if (opts.json) console.log(JSON.stringify(rows));
        else for (const r of rows) console.log(`${visibleText(r.name)}\t${r.role}${r.disabled ? '\t(disabled)' : ''}`);
      });
    });

  registerStaffLifecycle(staff);
  registerStaffTls(staff);
}
