import type { Command } from 'commander';
import { stringify } from 'yaml';
import { bilingual } from '../../domain/messages/index.ts';
import { ConfigSchema } from '../../config/schema.ts';
import { cliConfig, printJson } from '../context.ts';

/** `rig config check|show|schema`: see what configuration the other commands will run with. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('配置检查与查看 / check and show the configuration');

  config
    .command('check')
    .description('校验配置（文件、环境变量、命令行），列出全部问题 / validate and list every problem')
    .option('--json', 'print {ok, file, data} as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const ctx = cliConfig(cmd);
      const file = ctx.file ?? '(defaults)';
      if (opts.json) printJson({ ok: true, file: ctx.file, data: ctx.layout.root });
      else console.log(bilingual('config.ok', { file }));
    });

  config
    .command('show')
    .description('显示合并后的生效配置 / print the effective configuration')
    .option('--json', 'print JSON instead of YAML')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const ctx = cliConfig(cmd);
      if (opts.json) printJson(ctx.config);
      else process.stdout.write(`# file: ${ctx.file ?? '(defaults)'}\n# data folder: ${ctx.layout.root}\n${stringify(ctx.config)}`);
    });

  config
    .command('schema')
    .description('输出配置的 JSON Schema / print the configuration JSON Schema')
    .action(() => printJson(ConfigSchema));
}
