import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../controller/src/cli/program.ts';

function* walk(cmd: Command, path: string[] = []): Generator<[string, Command]> {
  for (const sub of cmd.commands) {
    const here = [...path, sub.name()];
    yield [here.join(' '), sub];
    yield* walk(sub, here);
  }
}

describe('rig subcommands', () => {
  const all = new Map(walk(buildProgram()));

  it('include the configuration, schedule and make-up commands', () => {
    for (const name of ['config check', 'config show', 'schedule add', 'schedule list', 'schedule import', 'makeup window add', 'makeup window list', 'makeup cert add', 'makeup cert list', 'makeup cert revoke', 'audit']) {
      expect(all.has(name), name).toBe(true);
    }
  });

  it('each have a description, and every listing offers --json', () => {
    for (const [name, cmd] of all) {
      expect(cmd.description().length, name).toBeGreaterThan(0);
      if (name.endsWith(' list') || name === 'audit') expect(cmd.options.map((o) => o.long), name).toContain('--json');
    }
  });

  it('explain in --help every option and argument they take, with what it is for', () => {
    const words = (text: string) => text.replace(/\s+/g, ' ').trim();
    for (const [name, cmd] of all) {
      // Commander wraps long lines: compare with the white space folded.
      const help = words(cmd.helpInformation());
      for (const option of cmd.options) {
        expect(words(option.description), `${name}: ${option.flags} has no description`).not.toBe('');
        expect(help, `${name}: ${option.flags}`).toContain(`${option.flags} ${words(option.description)}`);
      }
      for (const arg of cmd.registeredArguments) {
        expect(words(arg.description), `${name}: <${arg.name()}> has no description`).not.toBe('');
        expect(help, `${name}: <${arg.name()}>`).toContain(`${arg.name()} ${words(arg.description)}`);
      }
    }
  });
});
