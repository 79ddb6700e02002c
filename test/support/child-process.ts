// Runs a TypeScript entry point in its own Node process (as `node --import tsx`), for tests that
// need separate processes: racing workers, a worker killed mid-activity.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fromRepoRoot, repoRoot } from './temporal';

export interface TsChild {
  child: ChildProcessWithoutNullStreams;
  /** Everything the child printed so far. */
  stdout(): string;
  /** Everything the child printed to stderr so far. */
  stderr(): string;
  /** Resolves once the child printed a line equal to `line`. */
  waitForLine(line: string): Promise<void>;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `env` is added to this process's environment; an undefined value removes the variable. */
export function spawnTs(entry: string, env: Record<string, string | undefined>): TsChild {
  const childEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(childEnv))
    if (value === undefined) delete childEnv[name];
  const child = spawn(process.execPath, ['--import', 'tsx', fromRepoRoot(entry)], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine: (line) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (out.split('\n').includes(line)) resolve();
        };
        listeners.push(check);
        check();
        void exited.then(({ code, signal }) => {
          if (!out.split('\n').includes(line)) {
            reject(
              new Error(`${entry} exited (${code ?? signal}) before printing "${line}":\n${err}`),
            );
          }
        });
      }),
  };
}
