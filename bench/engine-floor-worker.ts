// The engine-floor benchmark's worker, a process of its own as Settle's worker is: the same SDK,
// sticky cache bound and workflow task slots, with workflows and activities that do nothing.
// Environment: TEMPORAL_ADDRESS, BENCH_TASK_QUEUE. Prints "ready" once it polls.
import { NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { workflowTaskSlots } from '../workers/create-worker';
import type { FloorActivities } from './engine-floor-workflows';

const CACHE = 250;

const address = process.env.TEMPORAL_ADDRESS;
const taskQueue = process.env.BENCH_TASK_QUEUE;
if (!address || !taskQueue) throw new Error('TEMPORAL_ADDRESS and BENCH_TASK_QUEUE are required');

const activities: FloorActivities = { noop: async () => undefined };
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  namespace: 'default',
  taskQueue,
  workflowsPath: fileURLToPath(new URL('./engine-floor-workflows.ts', import.meta.url)),
  activities,
  maxCachedWorkflows: CACHE,
  maxConcurrentWorkflowTaskExecutions: workflowTaskSlots(CACHE),
});
const running = worker.run();
console.log('ready');
await running;
await connection.close();
