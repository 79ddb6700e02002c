// Builds the dispute worker; used by the worker process, the tests and the benchmarks.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities, type ActivityDeps } from '../activities';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** The SDK's default number of workflow tasks a worker runs at once. */
const WORKFLOW_TASK_SLOTS = 40;

export interface DisputeWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** The sticky cache bound (config WORKER_MAX_CACHED_WORKFLOWS); 0 turns the cache off. */
  maxCachedWorkflows: number;
  /** A prebuilt bundle (tests bundle once per file); otherwise the worker bundles workflowsPath. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Disables the worker's own SIGINT/SIGTERM handling when a host process manages shutdown. */
  shutdownSignals?: NodeJS.Signals[];
}

/**
 * Workflow tasks run at once: the SDK's 40, but never more than the cache holds, since a task's
 * workflow must fit in the cache while it runs (the SDK would lower it with a warning).
 */
export function workflowTaskSlots(maxCachedWorkflows: number): number {
  return maxCachedWorkflows === 0
    ? WORKFLOW_TASK_SLOTS
    : Math.min(WORKFLOW_TASK_SLOTS, maxCachedWorkflows);
}

export async function createDisputeWorker(options: DisputeWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createActivities(options.deps),
    maxCachedWorkflows: options.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: workflowTaskSlots(options.maxCachedWorkflows),
    ...(options.shutdownSignals ? { shutdownSignals: options.shutdownSignals } : {}),
  });
}
