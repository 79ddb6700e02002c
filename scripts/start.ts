// `npm start`: the whole stack on one machine. Starts the Temporal dev server (unless
// TEMPORAL_ADDRESS is set), a mail catcher (unless SMTP_URL is set), applies migrations,
// then runs the worker and the API. Ctrl-C stops everything it started.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actorOf, DEV_API_KEYS, developmentKeysAllowed, loadConfig } from '../config';
import { migrateDatabase } from '../store/migrate';
import { buildConsole } from './build-console';
import { devServerArgs } from './dev-server';
import { startMailCatcher, type MailCatcher } from './mail-catcher';
import { waitForWorkers } from './cluster/settle';
import {
  startChild,
  stopChild,
  waitForHttp,
  waitForPort,
  withProgress,
  type Child,
} from './supervisor';

const root = fileURLToPath(new URL('..', import.meta.url));
const TEMPORAL_PORT = Number(process.env.TEMPORAL_PORT ?? 7233);
const TEMPORAL_DB_FILE = path.resolve(
  process.env.TEMPORAL_DB_FILE ?? `${root}var/temporal/temporal.db`,
);
const TEMPORAL_UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const startedAt = Date.now();
const seconds = (): string => `${Math.round((Date.now() - startedAt) / 1000)} s`;
const step = (text: string): void => console.log(`▸ ${text}  [${seconds()}]`);

const env: NodeJS.ProcessEnv = { ...process.env };
const children: Child[] = [];
let catcher: MailCatcher | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    step('stopping…');
    // API first so no new work arrives, then the worker, then the servers it used.
    for (const child of [...children].reverse()) await stopChild(child);
    await catcher?.stop();
    step('stopped');
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function watch(child: Child): void {
  children.push(child);
  void child.exited.then((code) => {
    if (!stopping) {
      console.error(`${child.name} exited unexpectedly (code ${code}); stopping the rest`);
      void stopAll(1);
    }
  });
}

try {
  const ownTemporal = !process.env.TEMPORAL_ADDRESS;
  const ownMail = !process.env.SMTP_URL;
  // Outside development (NODE_ENV=production) loadConfig refuses to run without keys.
  if (!process.env.SETTLE_API_KEYS && developmentKeysAllowed(process.env.NODE_ENV)) {
    env.SETTLE_API_KEYS = DEV_API_KEYS;
  }
  // Customers' replies: the worker receives them on this port (a relay would forward to it).
  env.INBOUND_SMTP_PORT ??= '2525';
  env.PUBLIC_URL ??= `http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? 3000}`;
  const config = loadConfig(env);
  mkdirSync(path.dirname(TEMPORAL_DB_FILE), { recursive: true });

  if (ownTemporal) {
    step(
      'Temporal CLI (the first start builds it from its Go module: several minutes, progress below)',
    );
    execFileSync('bash', [`${root}scripts/setup.sh`], { stdio: 'inherit' });
    step(`Temporal dev server on 127.0.0.1:${TEMPORAL_PORT} (state in ${TEMPORAL_DB_FILE})`);
    watch(
      startChild(
        'temporal',
        `${root}.tools/bin/temporal`,
        devServerArgs({
          port: TEMPORAL_PORT,
          uiPort: TEMPORAL_UI_PORT,
          dbFile: TEMPORAL_DB_FILE,
          namespace: config.TEMPORAL_NAMESPACE,
        }),
        env,
        root,
      ),
    );
    env.TEMPORAL_ADDRESS = `127.0.0.1:${TEMPORAL_PORT}`;
    env.TEMPORAL_UI_URL ??= `http://127.0.0.1:${TEMPORAL_UI_PORT}`;
  }

  if (ownMail) {
    step('mail catcher');
    catcher = await startMailCatcher({
      host: '127.0.0.1',
      smtpPort: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
      httpPort: Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 8025),
    });
    env.SMTP_URL = `smtp://127.0.0.1:${catcher.smtpPort}`;
  }

  // `npm install` built it; this rebuilds only when the console or the API changed since.
  step('agent console');
  await buildConsole();

  step(`database migrations (${config.DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')})`);
  await migrateDatabase(config.DATABASE_URL);

  if (ownTemporal) {
    await withProgress(
      'waiting for the Temporal dev server',
      waitForPort('127.0.0.1', TEMPORAL_PORT, 60_000, 'Temporal dev server'),
    );
  }
  step('worker (bundles the workflow code, then polls the task queue)');
  const worker = startChild(
    'worker',
    process.execPath,
    ['--import', 'tsx', `${root}workers/main.ts`],
    env,
    root,
  );
  watch(worker);
  step('API');
  watch(startChild('api', process.execPath, ['--import', 'tsx', `${root}api/main.ts`], env, root));

  const api = `http://${config.HOST}:${config.PORT}`;
  await withProgress(
    'waiting for the API to be ready and the worker to poll',
    Promise.all([
      waitForHttp(`${api}/readyz`, 120_000, 'API'),
      waitForWorkers(
        {
          address: env.TEMPORAL_ADDRESS!,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
        },
        [worker.process.pid!],
        180_000,
      ),
    ]),
  );

  const keys = loadConfig(env).SETTLE_API_KEYS.map(
    (k) => `${k.role.padEnd(10)} Bearer ${k.secret}   (recorded as ${actorOf(k)})`,
  );
  console.log(
    [
      '',
      `Settle is running (started in ${seconds()}).`,
      `  Console       ${api}/   (sign in with an API key${process.env.SETTLE_API_KEYS ? '' : ' below'})`,
      `  API           ${api}   (docs ${api}/docs, OpenAPI ${api}/openapi.json)`,
      `  Temporal UI   ${ownTemporal ? `http://127.0.0.1:${TEMPORAL_UI_PORT}` : `(external) ${env.TEMPORAL_ADDRESS}`}`,
      `  Mail catcher  ${catcher ? `${catcher.url}   (SMTP 127.0.0.1:${catcher.smtpPort})` : `(external) ${env.SMTP_URL}`}`,
      `  Database      ${config.DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')}`,
      `  Replies       SMTP 127.0.0.1:${env.INBOUND_SMTP_PORT} (customers' replies to Settle's emails)`,
      ...(process.env.SETTLE_API_KEYS
        ? []
        : ['  API keys (development only):', ...keys.map((k) => `    ${k}`)]),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stopAll(1);
}
