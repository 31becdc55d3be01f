import { Command } from 'commander';
import { commands } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command('rig')
    .description('毕业生学历证书电子注册图像采集室 / diploma-photo capture room controller')
    .option('--data <dir>', 'data folder holding rig.db and the image archive (default: from config, ./data)')
    .option('--config <file>', 'configuration file (default: config/default.yaml)')
    .showHelpAfterError()
    .exitOverride((err) => {
      // --help and --version are not failures.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
      process.exit(err.exitCode === 0 ? 0 : 64);
    });
  for (const register of commands) register(program);
  return program;
}
