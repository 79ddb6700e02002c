// The worker's sticky cache bound: parsed strictly from WORKER_MAX_CACHED_WORKFLOWS, and the
// workflow task slots kept within it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CACHED_WORKFLOWS, loadConfig } from '../../config';
import { workflowTaskSlots } from '../../workers/create-worker';

const bound = (value: string | undefined): number =>
  loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: value }).WORKER_MAX_CACHED_WORKFLOWS;

describe('WORKER_MAX_CACHED_WORKFLOWS', () => {
  it('defaults to a bound of a few hundred workflows, not the SDK’s heap-derived thousands', () => {
    expect(bound(undefined)).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(DEFAULT_MAX_CACHED_WORKFLOWS).toBeGreaterThanOrEqual(100);
    expect(DEFAULT_MAX_CACHED_WORKFLOWS).toBeLessThanOrEqual(1000);
  });

  it('takes a whole number, 0 (no cache) or at least 2', () => {
    expect(bound('0')).toBe(0);
    expect(bound('2')).toBe(2);
    expect(bound(' 250 ')).toBe(250);
    expect(bound('10000')).toBe(10_000);
  });

  it.each(['', ' ', '1', '-5', '2.5', '1e3', 'many', '12345678'])(
    'refuses %j with a message naming the variable',
    (value) => {
      expect(() => bound(value)).toThrow(/WORKER_MAX_CACHED_WORKFLOWS: must be/);
    },
  );
});

describe('workflow task slots', () => {
  it('are the SDK’s 40, fewer only when the cache holds fewer workflows', () => {
    expect(workflowTaskSlots(DEFAULT_MAX_CACHED_WORKFLOWS)).toBe(40);
    expect(workflowTaskSlots(40)).toBe(40);
    expect(workflowTaskSlots(10)).toBe(10);
    expect(workflowTaskSlots(2)).toBe(2);
    // Without a cache nothing needs to fit in it.
    expect(workflowTaskSlots(0)).toBe(40);
  });
});
