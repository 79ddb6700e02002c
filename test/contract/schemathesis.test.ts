// The contract the console's client is generated from, held by an independent fuzzer: schemathesis
// (PyPI, pinned in test/contract/requirements.txt, installed by scripts/install-schemathesis.sh)
// reads /openapi.json and runs every check in every phase, stateful included, against the real
// stack: the Temporal dev server, SQLite, SMTP on loopback, the API on a real port and a worker,
// with the sample data imported so links reach real customers and invoices. Any request the
// document calls valid that the server refuses, any invalid one it accepts, any 5xx, any
// undocumented status, header or body fails the test; the report lands in test/artifacts/.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_API_KEYS, loadConfig } from '../../config';
import { currenciesByExponent } from '../../domain/money';
import { importThroughApi } from '../support/process-disputes';
import { startProcessStack, testLogDir, type ProcessStack } from '../support/process-stack';
import { sampleBundle } from '../support/sample-data';
import { repoRoot } from '../support/temporal';
import { startDevServer, type TemporalServer } from '../support/temporal-servers';

const ST = path.join(repoRoot, '.tools/schemathesis/bin/st');
const ARTIFACTS = path.join(repoRoot, 'test/artifacts/schemathesis');
// About four minutes on two cores; far longer when other work shares them.
const RUN_TIMEOUT_MS = 900_000;
const MANAGER_SECRET = loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS }).SETTLE_API_KEYS.find(
  (key) => key.role === 'manager',
)!.secret;

/** Every currency's number of decimals, for the hooks' check of contract prices. */
const exponents = (): string =>
  JSON.stringify(
    Object.fromEntries(
      [...currenciesByExponent()].flatMap(([exponent, codes]) => codes.map((c) => [c, exponent])),
    ),
  );

interface Run {
  code: number | null;
  output: string;
}

/**
 * Runs schemathesis, its whole output written to `log` as it comes (a run takes minutes). Only a
 * digest reaches this process's output: schemathesis ends with pytest's kind of summary line
 * ("== 3 warnings in 96s =="), which a reader of the test log would take for a run of no tests.
 */
function schemathesis(args: readonly string[], log: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(ST, ['--config-file', 'test/contract/schemathesis.toml', ...args], {
      cwd: repoRoot,
      env: { ...process.env, SETTLE_CURRENCY_EXPONENTS: exponents(), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file = createWriteStream(log);
    let output = '';
    const take = (chunk: Buffer): void => {
      output += chunk.toString();
      file.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      file.end(() => resolve({ code, output }));
    });
  });
}

let temporal: TemporalServer | undefined;
let stack: ProcessStack | undefined;
beforeAll(async () => {
  if (!existsSync(ST))
    throw new Error(`${ST} is missing: run bash scripts/install-schemathesis.sh`);
  const logDir = testLogDir('contract');
  temporal = await startDevServer({ logDir });
  stack = await startProcessStack({
    temporal,
    database: 'sqlite',
    workers: 1,
    logDir,
    // Thousands of requests a minute from one key and address: no rate limit or throttle here.
    env: { RATE_LIMIT_PER_MINUTE: '0', AUTH_FAILURES_PER_MINUTE: '0' },
  });
  await importThroughApi(stack, sampleBundle());
}, 300_000);
afterAll(async () => {
  await stack?.stop();
  await temporal?.stop();
});

describe('the OpenAPI document, fuzzed by schemathesis against the running stack', () => {
  it(
    'has every check pass in every phase, stateful included',
    async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const junit = path.join(ARTIFACTS, 'junit.xml');
      const ndjson = path.join(ARTIFACTS, 'events.ndjson');
      const log = path.join(ARTIFACTS, 'output.txt');
      const run = await schemathesis(
        [
          'run',
          `${stack!.apiUrl}/openapi.json`,
          '--header',
          `Authorization: Bearer ${MANAGER_SECRET}`,
          '--checks',
          'all',
          '--phases',
          'examples,coverage,fuzzing,stateful',
          '--report',
          'junit,ndjson',
          '--report-junit-path',
          junit,
          '--report-ndjson-path',
          ndjson,
          '--no-color',
        ],
        log,
      );
      const summary = run.output.slice(run.output.lastIndexOf('SUMMARY'));
      const cases = /Test cases:\s*\n\s*(.+)/.exec(summary)?.[1] ?? 'no count printed';
      console.log(
        `schemathesis exited ${run.code}: ${cases}; its output: ${path.relative(repoRoot, log)}`,
      );
      // A failure's details, for the log of a run whose artifacts nobody can open.
      if (run.code !== 0) {
        const failures = run.output.indexOf('FAILURES');
        console.log(run.output.slice(failures >= 0 ? failures : -20_000));
      }
      expect(summary, 'schemathesis printed no summary').toContain('Test cases:');
      // Every phase ran; a phase that cannot start (e.g. no links) is no pass.
      for (const phase of ['Coverage', 'Fuzzing', 'Stateful'])
        expect(summary, `${phase} phase`).toMatch(new RegExp(`✅ ${phase}`));
      expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite [^>]*errors="0" failures="0"/);
      expect(run.code, 'schemathesis exit code (failures above)').toBe(0);
    },
    RUN_TIMEOUT_MS + 30_000,
  );
});
