import type { Command } from 'commander';

/** Placeholder until the kiosk issue: says what the product is and exits. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('启动采集室服务 / run the kiosk and staff services')
    .option('--demo', 'demo mode: simulated camera and rig, demo roster')
    .action(() => {
      console.log('rig serve: 学历证书电子注册图像采集 / diploma-photo capture room. The kiosk arrives with issue 4.');
    });
}
