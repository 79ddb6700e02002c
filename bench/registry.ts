// Every benchmark by name (the CLI filter matches these names). A benchmark's module is loaded
// only when it runs, so a quick one never pays for another's imports.
import type { Benchmark } from './benchmark';

export const registry: Readonly<Record<string, () => Promise<Benchmark>>> = {
  investigation: async () => (await import('./investigation')).benchmark,
  import: async () => (await import('./import')).benchmark,
  startup: async () => (await import('./startup')).benchmark,
  disputes: async () => (await import('./disputes')).benchmark,
  'update-latency': async () => (await import('./update-latency')).benchmark,
  'monitoring-memory': async () => (await import('./monitoring-memory')).benchmark,
  webhooks: async () => (await import('./webhooks')).benchmark,
  intake: async () => (await import('./intake')).benchmark,
  'engine-floor': async () => (await import('./engine-floor')).benchmark,
  console: async () => (await import('./console')).benchmark,
};
