import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
import { buildProgram } from '../../controller/src/cli/program.ts';
import { projectRoot } from './paths.ts';


export interface RigRun {
  code: number;
  stdout: string;
}

/**
 * Runs `rig ARGS` in this process (a cold tsx start per call would make the suite slow), capturing
 * stdout and console.log; the exit code is what the command set or what a CliError asked for.
 */
export async function rigInProcess(args: string[]): Promise<RigRun> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(`${parts.join(' ')}\n`));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  const before = process.exitCode;
  try {
    await buildProgram().parseAsync(['node', 'rig', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout: out.join('') };
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'exitCode' in err ? Number(err.exitCode) : 70;
    return { code, stdout: out.join('') };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = before;
  }
}

/** The real executable, for what only a process shows: its exit status and start-up. */
export function rigProcess(args: string[]): RigRun & { stderr: string } {
  const r = spawnSync(process.execPath, [join(projectRoot, 'bin', 'rig.js'), ...args], {
    cwd: projectRoot, encoding: 'utf8', timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
