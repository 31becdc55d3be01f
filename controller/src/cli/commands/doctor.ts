/** `rig doctor [--json] [--wait SECONDS]`: is this machine ready for a shooting day? Exit 0 only when nothing blocks. */
import type { Command } from 'commander';
import { assessRoom, doctorExitCode, type DoctorCheck } from '../../domain/doctor.ts';
import { bilingual, message } from '../../domain/messages/index.ts';
import { gatherFacts } from '../doctor/probes.ts';
import { CliError } from '../cli-error.ts';
import { cliConfig, printJson } from '../context.ts';

const marks = { ok: '✓', warn: '!', fail: '✗' } as const;

function asJson(c: DoctorCheck): object {
  return {
    ...c,
    message: { zh: message(c.code, 'zh', c.params), en: message(c.code, 'en', c.params) },
    fix: c.fix === null ? null : { code: c.fix, zh: message(c.fix, 'zh', c.params), en: message(c.fix, 'en', c.params) },
  };
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('检查相机、控制板、浏览器、磁盘、时钟、端口和证书 / check camera, board, browser, disk, clock, listeners and certificate')
    .option('--json', 'print {ok, checks: [{part, status, code, message, fix}]}')
    .option('--wait <seconds>', '每个端口最多等待应答的秒数（繁忙的机器可加长）/ how long each listener may take to answer (longer on a busy machine)', Number, 5)
    .action(async (opts: { json?: boolean; wait: number }, command: Command) => {
      if (!(opts.wait > 0 && opts.wait <= 600)) throw new CliError('--wait 须为 0 到 600 之间的秒数 / --wait must be seconds between 0 and 600', 64);
      const { config, layout } = cliConfig(command);
      const checks = assessRoom(await gatherFacts(config, layout.root, new Date(), { probeMs: opts.wait * 1000 }));
      const code = doctorExitCode(checks);
      process.exitCode = code;
      if (opts.json) return printJson({ ok: code === 0, checks: checks.map(asJson) });
      console.log(bilingual('doctor.title'));
      for (const c of checks) {
        console.log(`  ${marks[c.status]} ${bilingual(c.code, c.params)}`);
        if (c.fix !== null) console.log(`      ${message('doctor.fix', 'zh')}：${message(c.fix, 'zh', c.params)}\n      ${message('doctor.fix', 'en')}: ${message(c.fix, 'en', c.params)}`);
      }
      const fail = checks.filter((c) => c.status === 'fail').length;
      const warn = checks.filter((c) => c.status === 'warn').length;
      console.log(bilingual(fail > 0 ? 'doctor.summary.fail' : 'doctor.summary.ok', { fail, warn }));
    });
}
