// `npm run soak -- --runs N [--seed S] [--commands C]`: the model-based test of the dispute stack
// (test/workflow/dispute-model.test.ts) over N seeds from S, each a random sequence of up to C
// steps; prints the seeds that failed and how to run one again.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    commands: { type: 'string', default: '30' },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const commands = Number(values.commands);
for (const [name, value] of Object.entries({ runs, seed, commands })) {
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`--${name} must be a whole number\n`);
    process.exit(2);
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));
const report = join(root, 'var', 'soak-report.json');
mkdirSync(join(root, 'var'), { recursive: true });
process.stdout.write(`soak: ${runs} runs from seed ${seed}, up to ${commands} steps each\n`);
const result = spawnSync(
  'npx',
  [
    '--no-install',
    'vitest',
    'run',
    'test/workflow/dispute-model.test.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      SETTLE_MODEL_RUNS: String(runs),
      SETTLE_MODEL_SEED: String(seed),
      SETTLE_MODEL_COMMANDS: String(commands),
    },
  },
);

interface JsonReport {
  testResults: { assertionResults: { title: string; status: string }[] }[];
}
const results = (JSON.parse(readFileSync(report, 'utf8')) as JsonReport).testResults.flatMap(
  (file) => file.assertionResults,
);
const failed = results
  .filter((t) => t.status === 'failed')
  .map((t) => /seed (\d+)/.exec(t.title)?.[1])
  .filter((s): s is string => s !== undefined);
process.stdout.write(
  `\nsoak: ${results.length - failed.length} of ${results.length} seeds kept every invariant\n`,
);
if (failed.length > 0) {
  process.stdout.write(`failed seeds: ${failed.join(', ')}\n`);
  process.stdout.write(
    `run one again: SETTLE_MODEL_SEED=${failed[0]} SETTLE_MODEL_RUNS=1 SETTLE_MODEL_COMMANDS=${commands} npx vitest run test/workflow/dispute-model.test.ts\n`,
  );
}
process.exit(failed.length > 0 ? 1 : (result.status ?? 1));
