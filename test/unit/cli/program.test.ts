import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../controller/src/cli/program.ts';

describe('rig program', () => {
  it('offers --help on every subcommand', () => {
    const program = buildProgram();
    expect(program.commands.length).toBeGreaterThan(0);
    for (const cmd of program.commands) {
      expect(cmd.helpInformation()).toContain('--help');
      expect(cmd.description().length).toBeGreaterThan(0);
    }
  });
  it('accepts the global --data option', () => {
    const program = buildProgram();
    expect(program.options.map((o) => o.long)).toContain('--data');
  });
});
