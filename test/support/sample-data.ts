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

/** The shared example bundle, as the import endpoint receives it. */
export const sampleBundle = readJson('bundle.json');

export const sampleExpected = readJson('expected.json') as Record<string, ExpectedInvestigation>;
