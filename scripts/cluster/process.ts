// A service process with its output in a log file: attached to the caller (tests, benchmarks),
// or detached to outlive it (scripts/cluster.sh), then found again by pid and command line.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface ServiceSpec {
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The last `lines` lines of a log file, for error messages. */
export function tailOf(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function spawnLogged(spec: ServiceSpec, detached: boolean): ChildProcess {
  mkdirSync(path.dirname(spec.logFile), { recursive: true });
  const log = openSync(spec.logFile, 'a');
  try {
    return spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', log, log],
      detached,
    });
  } finally {
    closeSync(log);
  }
}

/** A child process of this one; `stop()` or `kill()` it before exiting. */
export class Service {
  readonly spec: ServiceSpec;
  private child: ChildProcess | undefined;
  private exit: Promise<ServiceExit> | undefined;

  constructor(spec: ServiceSpec) {
    this.spec = spec;
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** Resolves when the current process exits. */
  get exited(): Promise<ServiceExit> {
    if (!this.exit) throw new Error(`${this.name} was never started`);
    return this.exit;
  }

  start(): this {
    if (this.running) throw new Error(`${this.name} is running already`);
    const child = spawnLogged(this.spec, false);
    this.child = child;
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: 127, signal: null }));
    });
    return this;
  }

  /** Sends `signal` and waits for the process to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ServiceExit> {
    const exit = this.exited;
    if (this.running) this.child!.kill(signal);
    return exit;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.child || !this.running) return;
    const child = this.child;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  tail(lines = 30): string {
    return tailOf(this.spec.logFile, lines);
  }
}

/** Starts a process that outlives this one (own session, output to its log); returns its pid. */
export function startDetached(spec: ServiceSpec): number {
  const child = spawnLogged(spec, true);
  child.unref();
  if (child.pid === undefined) throw new Error(`${spec.name}: ${spec.command} did not start`);
  return child.pid;
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return undefined;
  }
}

/** True when `pid` runs and its command line still contains `marker` (pids are reused). */
export function isAlive(pid: number, marker: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
  } catch {
    return false;
  }
  return commandLine(pid)?.includes(marker) ?? false;
}

/** SIGTERM to a process started by startDetached, SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopDetached(pid: number, marker: string, graceMs = 15_000): Promise<void> {
  if (!isAlive(pid, marker)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid, marker)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      const killDeadline = Date.now() + 5_000;
      while (isAlive(pid, marker) && Date.now() < killDeadline) await delay(50);
      return;
    }
    await delay(100);
  }
}
