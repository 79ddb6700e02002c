// The last line of `npm test`: the tests of every vitest pass it ran, added up from the JSON
// report each pass wrote beside its console output (scripts/test.sh), so the end of a CI log says
// how many tests ran in all, not only how many the last pass ran.
// Usage: tsx scripts/test-tally.ts REPORT.json...
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The counts of vitest's JSON reporter (the Jest-compatible report) that the tally reads. */
const Report = z.object({
  numTotalTests: z.number().int().nonnegative(),
  numPassedTests: z.number().int().nonnegative(),
  numFailedTests: z.number().int().nonnegative(),
  numPendingTests: z.number().int().nonnegative(),
  numTodoTests: z.number().int().nonnegative(),
  testResults: z.array(z.unknown()),
});
type Report = z.infer<typeof Report>;

const reports = process.argv.slice(2);
if (reports.length === 0) {
  console.error('usage: tsx scripts/test-tally.ts REPORT.json...');
  process.exit(2);
}

const sum = (read: readonly Report[], pick: (r: Report) => number): number =>
  read.reduce((total, report) => total + pick(report), 0);
const count = (value: number): string => value.toLocaleString('en-US');
const counted = (value: number, one: string, many = `${one}s`): string =>
  `${count(value)} ${value === 1 ? one : many}`;

const read = reports.map((file) => Report.parse(JSON.parse(readFileSync(file, 'utf8'))));
for (const [i, report] of read.entries())
  console.log(
    `${path.basename(reports[i]!, '.json')}: ${counted(report.testResults.length, 'file')}, ` +
      `${count(report.numPassedTests)} of ${counted(report.numTotalTests, 'test')} passed`,
  );
const files = sum(read, (r) => r.testResults.length);
const tests = sum(read, (r) => r.numTotalTests);
const passed = sum(read, (r) => r.numPassedTests);
const failed = sum(read, (r) => r.numFailedTests);
const skipped = sum(read, (r) => r.numPendingTests + r.numTodoTests);
console.log(
  `in all (${counted(read.length, 'vitest pass', 'vitest passes')}): ` +
    `${counted(files, 'test file')}, ${counted(tests, 'test')} — ` +
    `${count(passed)} passed, ${count(failed)} failed, ${count(skipped)} skipped`,
);
if (failed > 0) process.exit(1);
