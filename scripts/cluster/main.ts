// `bash scripts/cluster.sh up|down|status|wipe`: Settle in its production shape on this machine,
// without Docker. PostgreSQL (the project-owned cluster), the Temporal server on it, the Temporal
// UI, a mail catcher, Settle's API and two worker processes, each a background process with its
// log under var/cluster/logs/. `down` stops all of them (and PostgreSQL when `up` started it);
// the databases stay until `wipe`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { actorOf, DEV_API_KEYS, developmentKeysAllowed, loadConfig } from '../../config';
import { migrateDatabase } from '../../store/migrate';
import { paths, repoRoot, requireClusterTools } from './paths';
import { pickPorts } from './ports';
import {
  dropDatabases,
  ensureDatabase,
  ensurePostgres,
  postgresRunning,
  stopPostgres,
} from './postgres';
import { isAlive, startDetached, stopDetached, tailOf, type ServiceSpec } from './process';
import { apiSpec, settleEnv, waitForReady, waitForWorkers, workerSpec } from './settle';
import {
  DEFAULT_SERVER_PORTS,
  registerNamespace,
  setupTemporalSchema,
  temporalServerCommand,
  temporalServerEnv,
  waitForFrontend,
  type TemporalServerPorts,
} from './temporal-server';
import { temporalUiSpec, waitForUi } from './temporal-ui';

const stateDir = path.join(repoRoot, 'var/cluster');
const stateFile = path.join(stateDir, 'state.json');
const logDir = path.join(stateDir, 'logs');
const NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';
const WORKERS = 2;
const DATABASES = {
  temporal: 'temporal',
  visibility: 'temporal_visibility',
  settle: 'settle_cluster',
} as const;
const START_TIMEOUT_MS = 180_000;

interface ProcessRecord {
  name: string;
  pid: number;
  /** Part of the command line that identifies the process, checked before signalling a pid. */
  marker: string;
  logFile: string;
}

interface ClusterState {
  /** PostgreSQL was not running before `up`, so `down` stops it. */
  startedPostgres: boolean;
  processes: ProcessRecord[];
  addresses: Record<string, string>;
}

const step = (text: string): void => console.log(`▸ ${text}`);

function readState(): ClusterState | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState;
}

function writeState(state: ClusterState): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

function launch(state: ClusterState, spec: ServiceSpec, marker: string): ProcessRecord {
  const record = { name: spec.name, pid: startDetached(spec), marker, logFile: spec.logFile };
  state.processes.push(record);
  writeState(state);
  return record;
}

/** Waits for `ready`, failing early with the log's tail when the process exits first. */
async function awaitReady(record: ProcessRecord, ready: Promise<void>): Promise<void> {
  let settled = false;
  // Handled here too: when the process dies first, `ready` may still fail later.
  ready.catch(() => undefined);
  const died = (async (): Promise<never> => {
    while (!settled) {
      if (!isAlive(record.pid, record.marker)) {
        throw new Error(`${record.name} exited during start-up:\n${tailOf(record.logFile)}`);
      }
      await delay(200);
    }
    return new Promise<never>(() => undefined);
  })();
  try {
    await Promise.race([ready, died]);
  } catch (error) {
    throw new Error(
      `${record.name}: ${error instanceof Error ? error.message : String(error)}\n(log: ${record.logFile})`,
    );
  } finally {
    settled = true;
  }
}

function logFile(name: string): string {
  return path.join(logDir, `${name}.log`);
}

async function up(): Promise<number> {
  const existing = readState();
  if (existing?.processes.some((p) => isAlive(p.pid, p.marker))) {
    console.log('The cluster is up already (`bash scripts/cluster.sh down` stops it).');
    return status();
  }
  // Outside development (NODE_ENV=production) the development keys never apply, as in npm start.
  const missing = ['SETTLE_API_KEYS', 'CUSTOMER_LINK_KEYS'].filter((name) => !process.env[name]);
  if (missing.length && !developmentKeysAllowed(process.env.NODE_ENV)) {
    console.error(
      `cluster up: NODE_ENV=${process.env.NODE_ENV} needs ${missing.join(' and ')} (see README); the development keys apply only in development`,
    );
    return 1;
  }
  const apiKeys = process.env.SETTLE_API_KEYS ?? DEV_API_KEYS;
  const started = Date.now();
  step('tools: Temporal CLI, server, schema tool and UI (scripts/setup.sh --cluster)');
  execFileSync('bash', [paths.setupScript, '--cluster'], { stdio: 'inherit' });
  requireClusterTools();

  step('PostgreSQL (scripts/postgres.sh)');
  const wasRunning = postgresRunning();
  const postgres = ensurePostgres();
  const state: ClusterState = { startedPostgres: !wasRunning, processes: [], addresses: {} };
  writeState(state);
  mkdirSync(logDir, { recursive: true });

  try {
    const serverPortNames = Object.keys(DEFAULT_SERVER_PORTS) as (keyof TemporalServerPorts)[];
    const picked = await pickPorts([
      ...serverPortNames.map((name) => DEFAULT_SERVER_PORTS[name]),
      Number(process.env.TEMPORAL_UI_PORT ?? 8080),
      Number(process.env.PORT ?? 3000),
      Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
      Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 8025),
    ]);
    const ports = Object.fromEntries(
      serverPortNames.map((name, i) => [name, picked[i]!]),
    ) as unknown as TemporalServerPorts;
    const [uiPort, apiPort, smtpPort, mailHttpPort] = picked.slice(serverPortNames.length) as [
      number,
      number,
      number,
      number,
    ];
    const address = `127.0.0.1:${ports.frontend}`;

    step(`Temporal schema in databases ${DATABASES.temporal} and ${DATABASES.visibility}`);
    const serverEnv = temporalServerEnv({
      postgres,
      database: DATABASES.temporal,
      visibilityDatabase: DATABASES.visibility,
      ports,
      logLevel: 'info',
    });
    await setupTemporalSchema(serverEnv);

    step(`Temporal server on ${address}`);
    const { command, args, cwd } = temporalServerCommand();
    const server = launch(
      state,
      {
        name: 'temporal-server',
        command,
        args,
        cwd,
        env: { ...process.env, ...serverEnv },
        logFile: logFile('temporal-server'),
      },
      paths.temporalServer,
    );
    await awaitReady(server, waitForFrontend(address, START_TIMEOUT_MS));
    console.log(`  ${(await registerNamespace(address, NAMESPACE)).trim()}`);

    step(`Temporal UI on http://127.0.0.1:${uiPort}`);
    const ui = launch(
      state,
      temporalUiSpec({
        temporalAddress: address,
        port: uiPort,
        namespace: NAMESPACE,
        logFile: logFile('temporal-ui'),
      }),
      paths.temporalUiServer,
    );
    const uiUrl = `http://127.0.0.1:${uiPort}`;
    await awaitReady(ui, waitForUi(uiUrl, START_TIMEOUT_MS));

    step(`mail catcher on SMTP 127.0.0.1:${smtpPort}`);
    const catcher = launch(
      state,
      {
        name: 'mail-catcher',
        command: process.execPath,
        args: ['--import', 'tsx', 'scripts/mail-catcher.ts'],
        cwd: repoRoot,
        env: {
          ...process.env,
          MAIL_CATCHER_SMTP_PORT: String(smtpPort),
          MAIL_CATCHER_HTTP_PORT: String(mailHttpPort),
        },
        logFile: logFile('mail-catcher'),
      },
      'scripts/mail-catcher.ts',
    );
    const mailUrl = `http://127.0.0.1:${mailHttpPort}`;
    await awaitReady(catcher, waitForHttp(mailUrl, START_TIMEOUT_MS));

    step(`Settle database ${DATABASES.settle}: migrations`);
    await ensureDatabase(postgres, DATABASES.settle);
    const databaseUrl = postgres.url(DATABASES.settle);
    await migrateDatabase(databaseUrl);

    const env = settleEnv({
      databaseUrl,
      temporalAddress: address,
      namespace: NAMESPACE,
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      apiPort,
      apiKeys,
    });
    step(`${WORKERS} worker processes on task queue disputes`);
    const workers = Array.from({ length: WORKERS }, (_, i) =>
      launch(
        state,
        workerSpec(`worker-${i + 1}`, env, logFile(`worker-${i + 1}`)),
        'workers/main.ts',
      ),
    );
    step(`API on http://127.0.0.1:${apiPort}`);
    const api = launch(state, apiSpec(env, logFile('api')), 'api/main.ts');
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await awaitReady(api, waitForReady(apiUrl, START_TIMEOUT_MS));
    for (const worker of workers) {
      await awaitReady(
        worker,
        waitForWorkers({ address, namespace: NAMESPACE }, [worker.pid], START_TIMEOUT_MS),
      );
    }

    state.addresses = {
      API: `${apiUrl}   (docs ${apiUrl}/docs)`,
      'Temporal UI': uiUrl,
      'Temporal gRPC': address,
      'Mail catcher': `${mailUrl}   (SMTP 127.0.0.1:${smtpPort})`,
      'Settle database': databaseUrl.replace(/\/\/[^@]*@/, '//…@'),
      'Temporal databases': `${DATABASES.temporal}, ${DATABASES.visibility} on 127.0.0.1:${postgres.port}`,
      Logs: path.relative(process.cwd(), logDir) || logDir,
    };
    writeState(state);
    console.log(`\nSettle cluster is up (${Math.round((Date.now() - started) / 1000)} s).`);
    printAddresses(state);
    if (!process.env.SETTLE_API_KEYS) {
      console.log('  API keys (development only):');
      for (const key of loadConfig(env).SETTLE_API_KEYS) {
        console.log(
          `    ${key.role.padEnd(10)} Bearer ${key.secret}   (recorded as ${actorOf(key)})`,
        );
      }
    }
    console.log('Stop it with `bash scripts/cluster.sh down`.');
    return 0;
  } catch (error) {
    console.error(`\ncluster up failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error('stopping what was started…');
    await down();
    return 1;
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(url).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`${url} not serving within ${timeoutMs} ms`);
    await delay(200);
  }
}

function printAddresses(state: ClusterState): void {
  const width = Math.max(...Object.keys(state.addresses).map((k) => k.length));
  for (const [name, value] of Object.entries(state.addresses)) {
    console.log(`  ${name.padEnd(width)}  ${value}`);
  }
}

async function down(): Promise<number> {
  const state = readState();
  if (!state) {
    console.log('The cluster is not up (no var/cluster/state.json).');
    return 0;
  }
  // The API first so no new work arrives, then the workers, then what they use.
  for (const record of [...state.processes].reverse()) {
    const alive = isAlive(record.pid, record.marker);
    if (alive) step(`stopping ${record.name} (pid ${record.pid})`);
    await stopDetached(record.pid, record.marker);
  }
  if (state.startedPostgres) {
    step('stopping PostgreSQL (started by `up`)');
    stopPostgres();
  } else {
    console.log('PostgreSQL was running before `up`: left running.');
  }
  rmSync(stateFile, { force: true });
  console.log(
    'The cluster is down; its databases remain (`bash scripts/cluster.sh wipe` drops them).',
  );
  return 0;
}

function status(): number {
  const state = readState();
  if (!state) {
    console.log('The cluster is not up.');
    return 3;
  }
  let alive = 0;
  for (const record of state.processes) {
    const up = isAlive(record.pid, record.marker);
    if (up) alive += 1;
    console.log(
      `  ${record.name.padEnd(16)} ${up ? 'running' : 'STOPPED'}  pid ${record.pid}  log ${path.relative(process.cwd(), record.logFile)}`,
    );
  }
  console.log(`  ${'postgresql'.padEnd(16)} ${postgresRunning() ? 'running' : 'STOPPED'}`);
  printAddresses(state);
  return alive === state.processes.length ? 0 : alive === 0 ? 3 : 1;
}

async function wipe(): Promise<number> {
  if (readState()?.processes.some((p) => isAlive(p.pid, p.marker))) {
    console.error('The cluster is up: run `bash scripts/cluster.sh down` first.');
    return 1;
  }
  const wasRunning = postgresRunning();
  const postgres = ensurePostgres();
  await dropDatabases(postgres, Object.values(DATABASES));
  console.log(`dropped ${Object.values(DATABASES).join(', ')}`);
  if (!wasRunning) stopPostgres();
  return 0;
}

const commands: Record<string, () => Promise<number> | number> = { up, down, status, wipe };
const command = process.argv[2] ?? '';
const run = commands[command];
if (!run) {
  console.error('usage: bash scripts/cluster.sh up|down|status|wipe');
  process.exitCode = 2;
} else {
  // Exit now: a failed start may leave a readiness poll running until its deadline.
  process.exit(await run());
}
