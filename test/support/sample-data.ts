// ../shared/sample-data: the example bundle and the findings expected for each of its invoices.
import { readFileSync } from 'node:fs';

export interface ExpectedFinding {
  rule: string;
  lineId: string | null;
  delta: string;
  expected: string | null;
  actual: string | null;
}

export interface ExpectedInvestigation {
  findings: ExpectedFinding[];
  totalDelta: string;
  verdict: string;
}

function readJson(name: string): unknown {
  const url = new URL(`../../../shared/sample-data/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as unknown;
}

const bundle = readJson('bundle.json');

/** The shared example bundle as the import endpoint receives it: a fresh copy each call. */
export function sampleBundle(): any {
  return structuredClone(bundle);
}

export const sampleExpected = readJson('expected.json') as Record<string, ExpectedInvestigation>;
