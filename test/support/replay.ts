// Replay of recorded workflow histories (determinism checks) and recording of new ones.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import {
  Worker,
  type ReplayWorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { configureTestRuntime, fromRepoRoot } from './temporal';

// Not @temporalio/common's historyToJSON/historyFromJSON: npm gives common and proto separate
// protobufjs copies here (the root one is v7, for grpc), so they throw "type must be a Type".
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}
type ProtoModule = typeof import('@temporalio/proto');
const requireHere = createRequire(import.meta.url);
const requireFromProto = createRequire(requireHere.resolve('@temporalio/proto'));
const proto = requireHere('@temporalio/proto') as ProtoModule;
const protojson = requireFromProto('protobufjs/ext/protojson') as ProtoJson;
const historyType = (
  patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }
).lookupType('temporal.api.history.v1.History');

/** A history as the canonical proto JSON that `temporal workflow show --output json` prints. */
export function historyToJson(history: History): unknown {
  return protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
}

/** Parses canonical proto JSON of a history (unknown fields from newer servers are ignored). */
export function historyFromJson(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (history == null) throw new TypeError('expected a history object, got null');
  return history;
}

/**
 * Where the dispute workflow's recorded histories live, one folder per generation of the workflow
 * code (a generation begins with a new `patched()` id); CI replays every folder against today's code.
 */
export const replayHistoriesRoot: string = fromRepoRoot('test/replay/histories');

/** The folder new recordings (RECORD_HISTORIES=1) go to: the current generation's. */
export const replayHistoriesDir: string = fromRepoRoot(
  'test/replay/histories/2026-12-monitoring-fresh-run',
);

/** Every generation's folder, oldest first. */
export async function replayHistoryFolders(): Promise<string[]> {
  const entries = await readdir(replayHistoriesRoot, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(replayHistoriesRoot, entry.name))
    .sort();
}

/**
 * The workflow code to replay against: a bundle from `bundleWorkflows` (reuse the test file's), or
 * a workflows path (absolute, or relative to the repo root) to bundle now.
 */
export type ReplayTarget =
  { workflowBundle: WorkflowBundleWithSourceMap } | { workflowsPath: string };

export interface ReplayOptions {
  /** Passed through to the replay worker (interceptors, sinks) — match how the histories ran. */
  worker?: Omit<ReplayWorkerOptions, 'workflowBundle' | 'workflowsPath'>;
  /** Succeed on a directory without histories; by default an empty directory is an error. */
  allowEmpty?: boolean;
}

export interface ReplayedHistory {
  /** File name of the history within the directory replayed. */
  file: string;
  runId: string;
}

/** Thrown when one or more histories do not replay; `failures` names each file and its error. */
export class HistoryReplayError extends Error {
  constructor(readonly failures: { file: string; error: Error }[]) {
    super(
      `${failures.length} recorded histor${failures.length === 1 ? 'y' : 'ies'} failed to replay:\n` +
        failures.map(({ file, error }) => `  ${file}: ${error.name}: ${error.message}`).join('\n'),
      { cause: failures[0]?.error },
    );
    this.name = 'HistoryReplayError';
  }
}

/** The `*.json` history files directly inside `dir`, sorted by name. */
export async function listHistoryFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
}

async function loadHistory(dir: string, file: string): Promise<History> {
  const text = await readFile(join(dir, file), 'utf8');
  try {
    return historyFromJson(JSON.parse(text));
  } catch (error) {
    throw new Error(`${join(dir, file)} is not a Temporal history in JSON form`, { cause: error });
  }
}

/**
 * Replays every recorded history in `dir` (canonical proto JSON, as written by `recordHistory` or
 * `temporal workflow show --output json`) with `Worker.runReplayHistories` against `target`.
 * Resolves with what replayed; rejects with `HistoryReplayError` if any history hits
 * nondeterminism or fails its workflow task.
 */
export async function replayHistories(
  dir: string,
  target: ReplayTarget,
  { worker = {}, allowEmpty = false }: ReplayOptions = {},
): Promise<ReplayedHistory[]> {
  const files = await listHistoryFiles(dir);
  if (files.length === 0 && !allowEmpty) {
    throw new Error(`no recorded histories (*.json) in ${dir}`);
  }
  const histories = await Promise.all(
    files.map(async (file) => ({ workflowId: file, history: await loadHistory(dir, file) })),
  );

  configureTestRuntime();
  const replayed: ReplayedHistory[] = [];
  const failures: { file: string; error: Error }[] = [];
  const code =
    'workflowsPath' in target ? { workflowsPath: fromRepoRoot(target.workflowsPath) } : target;
  const results = Worker.runReplayHistories(
    { ...worker, ...code, replayName: 'settle-replay' },
    histories,
  );
  // runReplayHistories yields one result per history, in order; workflowId carries the file name.
  for await (const { workflowId: file, runId, error } of results) {
    if (error) failures.push({ file, error });
    else replayed.push({ file, runId });
  }
  if (failures.length > 0) throw new HistoryReplayError(failures);
  return replayed;
}

/** True when the run asked for histories to be (re)recorded: `RECORD_HISTORIES=1`. */
export function recordingHistories(): boolean {
  return process.env.RECORD_HISTORIES === '1';
}

/** Every run of the handle's workflow, first to latest, following continue-as-new back. */
export async function historiesOfEveryRun(handle: WorkflowHandle): Promise<History[]> {
  const runs = [await handle.fetchHistory()];
  for (;;) {
    const started = runs[0]!.events?.[0]?.workflowExecutionStartedEventAttributes;
    const previous = started?.continuedExecutionRunId;
    if (!previous) return runs;
    runs.unshift(await handle.client.getHandle(handle.workflowId, previous).fetchHistory());
  }
}

/**
 * Writes the full event history of a finished workflow to `<dir>/<name>.json` in the JSON form
 * `replayHistories` reads (pretty-printed, so a re-recording diffs readably); a workflow that
 * continued as new gets one file per run, the later ones `<name>.run-2.json` and on. Returns the
 * paths written.
 */
export async function recordHistory(
  handle: WorkflowHandle,
  dir: string,
  name: string,
): Promise<string[]> {
  if (basename(name) !== name || name.endsWith('.json')) {
    throw new Error(`history name must be a bare file name without .json, got ${name}`);
  }
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const [i, history] of (await historiesOfEveryRun(handle)).entries()) {
    const json = JSON.stringify(historyToJson(history), null, 2);
    const path = join(dir, i === 0 ? `${name}.json` : `${name}.run-${i + 1}.json`);
    await writeFile(path, `${json}\n`);
    paths.push(path);
  }
  return paths;
}

/** `recordHistory` when `RECORD_HISTORIES=1`, otherwise nothing; resolves with the paths written. */
export async function recordHistoryIfRequested(
  handle: WorkflowHandle,
  dir: string,
  name: string,
): Promise<string[]> {
  return recordingHistories() ? await recordHistory(handle, dir, name) : [];
}
