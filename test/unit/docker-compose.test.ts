// No Docker engine runs here: docker-compose.yml and the Dockerfile are checked against what the
// code expects — config.ts parses every Settle service's environment, commands are npm scripts,
// every address points at the service and port that serves it — and against what the cluster
// tests run (scripts/cluster/): the same Temporal server and UI releases, the same configuration
// file, the same environment names, the same schema and namespace scripts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEV_API_KEYS, DEV_CUSTOMER_LINK_KEYS, loadConfig } from '../../config';
import { paths, repoRoot } from '../../scripts/cluster/paths';
import {
  DEFAULT_SERVER_PORTS,
  TEMPORAL_SERVER_VERSION,
  temporalServerCommand,
  temporalServerEnv,
} from '../../scripts/cluster/temporal-server';
import { TEMPORAL_UI_VERSION, temporalUiSpec } from '../../scripts/cluster/temporal-ui';

const fromRepoRoot = (file: string): string =>
  fileURLToPath(new URL(`../../${file}`, import.meta.url));

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  working_dir?: string;
  volumes?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number)[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test: string | string[] };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const source = readFileSync(fromRepoRoot('docker-compose.yml'), 'utf8');
const packageJson = JSON.parse(readFileSync(fromRepoRoot('package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const dockerfile = readFileSync(fromRepoRoot('Dockerfile'), 'utf8');
const setupScript = readFileSync(fromRepoRoot('scripts/setup.sh'), 'utf8');

/** A pinned version in scripts/setup.sh, without its leading v. */
function pinned(name: string): string {
  const version = new RegExp(`^${name}=v([0-9.]+)`, 'm').exec(setupScript)?.[1];
  if (!version) throw new Error(`scripts/setup.sh pins no ${name}`);
  return version;
}

/** Names a template or script reads: `env "NAME"` (Go templates) or `${NAME…}` (sh). */
function variablesRead(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  return new Set(
    [...text.matchAll(/env "([A-Z0-9_]+)"|\$\{([A-Z0-9_]+)[:}]/g)].map((m) => (m[1] ?? m[2])!),
  );
}

/** Compose's variable syntax: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}. */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const key = name ?? bare ?? '';
      const value = env[key];
      const unset = value === undefined || (colon === ':' && value === '');
      if (unset && op === '-') return arg ?? '';
      if (unset && op === '?') throw new Error(`${key}: ${arg}`);
      return value ?? '';
    },
  );
}

function deepInterpolate(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => deepInterpolate(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepInterpolate(v, env)]));
  }
  return value;
}

function load(env: Record<string, string | undefined>): Compose {
  return deepInterpolate(parse(source, { merge: true }), env) as Compose;
}

/** Environment as the container sees it: every value a string. */
function envOf(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(
      raw.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]),
    );
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Container ports a service publishes (`host:container` or `container`). */
function containerPorts(service: Service): number[] {
  return (service.ports ?? []).map((port) => Number(String(port).split(':').at(-1)!.split('/')[0]));
}

function dependencies(service: Service): Record<string, string> {
  const deps = service.depends_on ?? [];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

function commandLine(service: Service): string {
  const command = service.command ?? [];
  return Array.isArray(command) ? command.join(' ') : command;
}

const hostPort = (address: string): [string, number] => {
  const [host, port] = address.split(':');
  return [host!, Number(port)];
};

/** The ENV lines of the Dockerfile's final stage: what every container of the image starts with. */
function imageEnv(): Record<string, string> {
  const stages = dockerfile.split(/^FROM /m);
  const last = stages.at(-1) ?? '';
  return Object.fromEntries(
    [...last.matchAll(/^ENV ([A-Za-z_][A-Za-z0-9_]*)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
  );
}

const ENV = { SETTLE_API_KEYS: DEV_API_KEYS, CUSTOMER_LINK_KEYS: DEV_CUSTOMER_LINK_KEYS };
const compose = load(ENV);
const { services } = compose;
const SETTLE = ['settle-api', 'settle-worker'] as const;
/** One-shot services: they set Temporal up and exit. */
const JOBS = ['temporal-schema', 'temporal-namespace'] as const;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

describe('docker-compose.yml', () => {
  it('has the services of a production-like deployment', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'mailpit',
        'settle-api',
        'settle-postgres',
        'settle-worker',
        'temporal',
        'temporal-namespace',
        'temporal-postgres',
        'temporal-schema',
        'temporal-ui',
      ].sort(),
    );
  });

  it('pins every image and builds Settle from the Dockerfile at the root', () => {
    for (const [name, s] of Object.entries(services)) {
      if ((SETTLE as readonly string[]).includes(name)) {
        expect(s.build, name).toBe('.');
        continue;
      }
      expect(s.image, name).toMatch(/^[a-z0-9./-]+:v?\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?$/);
    }
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:2\.\d+\.\d+$/);
    expect(service('mailpit').image).toMatch(/^axllent\/mailpit:v\d+\.\d+\.\d+$/);
    expect(service('settle-postgres').image).toMatch(/^postgres:\d+/);
  });

  it('requires SETTLE_API_KEYS and CUSTOMER_LINK_KEYS instead of shipping default secrets', () => {
    expect(() => load({ CUSTOMER_LINK_KEYS: DEV_CUSTOMER_LINK_KEYS })).toThrow(/SETTLE_API_KEYS/);
    expect(() => load({ SETTLE_API_KEYS: DEV_API_KEYS })).toThrow(/CUSTOMER_LINK_KEYS/);
  });

  it('settle-worker receives customers’ replies on the port it exposes', () => {
    const worker = service('settle-worker') as Service & { expose?: string[] };
    const config = loadConfig(envOf(worker));
    expect(config.INBOUND_SMTP_HOST).toBe('0.0.0.0');
    expect(worker.expose).toEqual([String(config.INBOUND_SMTP_PORT)]);
  });

  it.each(SETTLE)(
    '%s: gets SETTLE_API_KEYS and CUSTOMER_LINK_KEYS, without which the image (NODE_ENV=production) refuses to run',
    (name) => {
      const env = envOf(service(name));
      expect(env.SETTLE_API_KEYS).toBe(DEV_API_KEYS);
      expect(env.CUSTOMER_LINK_KEYS).toBe(DEV_CUSTOMER_LINK_KEYS);
      const { SETTLE_API_KEYS: _keys, ...withoutApiKeys } = { ...imageEnv(), ...env };
      expect(() => loadConfig(withoutApiKeys)).toThrow(
        /SETTLE_API_KEYS: required when NODE_ENV=production/,
      );
      const { CUSTOMER_LINK_KEYS: _links, ...withoutLinkKeys } = { ...imageEnv(), ...env };
      expect(() => loadConfig(withoutLinkKeys)).toThrow(
        /CUSTOMER_LINK_KEYS: required when NODE_ENV=production/,
      );
    },
  );

  it.each(SETTLE)('%s: config.ts parses its environment, as the image runs it', (name) => {
    const env = envOf(service(name));
    const config = loadConfig({ ...imageEnv(), ...env });
    expect(config.DATABASE_URL).toMatch(/^postgresql:\/\//);
    expect(config.TEMPORAL_TASK_QUEUE).toBe('disputes');
    // Nothing set that config.ts does not read.
    const known = Object.keys(loadConfig({ SETTLE_POLICY_FILE: 'x', INBOUND_SMTP_PORT: '25' }));
    for (const key of Object.keys(env)) expect(known, key).toContain(key);
  });

  it.each(SETTLE)('%s: runs npm scripts that exist in package.json', (name) => {
    const scripts = [...commandLine(service(name)).matchAll(/npm run ([\w:-]+)/g)].map(
      (m) => m[1]!,
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts)
      expect(Object.keys(packageJson.scripts), script).toContain(script);
  });

  it('settle-api migrates before it serves; settle-worker runs the worker', () => {
    expect(commandLine(service('settle-api'))).toMatch(/npm run migrate && exec npm run api$/);
    expect(commandLine(service('settle-worker'))).toBe('npm run worker');
  });

  it.each(SETTLE)(
    '%s: DATABASE_URL reaches settle-postgres with its user, password and database',
    (name) => {
      const url = new URL(loadConfig(envOf(service(name))).DATABASE_URL);
      const pg = envOf(service('settle-postgres'));
      expect(url.hostname).toBe('settle-postgres');
      expect(Number(url.port || 5432)).toBe(5432);
      expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(
        load({ ...ENV, SETTLE_DB_PASSWORD: 'p4ss' }).services[name]!.environment,
      ).toMatchObject({
        DATABASE_URL: 'postgresql://settle:p4ss@settle-postgres:5432/settle',
      });
    },
  );

  it.each(SETTLE)('%s: TEMPORAL_ADDRESS and namespace are the temporal service’s', (name) => {
    const config = loadConfig(envOf(service(name)));
    const [host, port] = hostPort(config.TEMPORAL_ADDRESS);
    const namespaceJob = envOf(service('temporal-namespace'));
    expect(host).toBe('temporal');
    expect(port).toBe(7233);
    expect(containerPorts(service('temporal'))).toContain(port);
    expect(hostPort(namespaceJob.TEMPORAL_ADDRESS!)).toEqual([host, port]);
    expect(config.TEMPORAL_NAMESPACE).toBe(envOf(service('temporal-namespace')).DEFAULT_NAMESPACE);
    expect(
      load({ ...ENV, TEMPORAL_NAMESPACE: 'billing' }).services[name]!.environment,
    ).toMatchObject({
      TEMPORAL_NAMESPACE: 'billing',
    });
  });

  it.each(SETTLE)('%s: SMTP_URL is the mail service’s SMTP port', (name) => {
    const smtp = new URL(loadConfig(envOf(service(name))).SMTP_URL);
    expect(smtp.protocol).toBe('smtp:');
    expect(smtp.hostname).toBe('mailpit');
    expect(smtp.port).toBe(envOf(service('mailpit')).MP_SMTP_BIND_ADDR!.split(':')[1]);
  });

  it('settle-api listens on all interfaces on the port it publishes and checks /readyz there', () => {
    const api = service('settle-api');
    const config = loadConfig(envOf(api));
    expect(config.HOST).toBe('0.0.0.0');
    expect(containerPorts(api)).toEqual([config.PORT]);
    const check = ([] as string[]).concat(api.healthcheck!.test).join(' ');
    expect(check).toContain('/readyz');
    expect(check).toContain('process.env.PORT');
  });

  it('Temporal and its schema job use their own PostgreSQL with matching credentials', () => {
    const pg = envOf(service('temporal-postgres'));
    expect(envOf(service('temporal')).DB).toBe('postgres12');
    for (const name of ['temporal', 'temporal-schema']) {
      const env = envOf(service(name));
      expect(env.POSTGRES_SEEDS, name).toBe('temporal-postgres');
      expect(env.DB_PORT ?? '5432', name).toBe('5432');
      expect(env.POSTGRES_USER, name).toBe(pg.POSTGRES_USER);
      expect(env.POSTGRES_PWD, name).toBe(pg.POSTGRES_PASSWORD);
    }
    expect(
      envOf(load({ ...ENV, TEMPORAL_DB_PASSWORD: 's3cret' }).services['temporal-schema']!),
    ).toMatchObject({ POSTGRES_PWD: 's3cret' });
  });

  describe('what the cluster tests run', () => {
    const uiVersion = pinned('TEMPORAL_UI_VERSION');

    it('pins the releases scripts/setup.sh builds', () => {
      const server = pinned('TEMPORAL_SERVER_VERSION');
      expect(TEMPORAL_SERVER_VERSION).toBe(server);
      expect(TEMPORAL_UI_VERSION).toBe(uiVersion);
      expect(service('temporal').image).toBe(`temporalio/server:${server}`);
      expect(service('temporal-ui').image).toBe(`temporalio/ui:${uiVersion}`);
      for (const job of JOBS) {
        expect(service(job).image, job).toMatch(
          new RegExp(`^temporalio/admin-tools:${server.replace(/\./g, '\\.')}-`),
        );
      }
    });

    it('temporal runs the command and configuration file of scripts/cluster.sh', () => {
      const temporal = service('temporal');
      const { args, cwd } = temporalServerCommand();
      expect(([] as string[]).concat(temporal.entrypoint ?? []).join(' ')).toContain(
        `exec temporal-server ${args.join(' ')}`,
      );
      // --root . --config config: the configuration folder under the working directory.
      const [source, target] = temporal.volumes!.map((v) => v.split(':'))[0]!;
      expect(target).toBe(`${temporal.working_dir}/config`);
      expect(path.resolve(repoRoot, source!)).toBe(path.join(cwd, 'config'));
      expect(existsSync(path.join(cwd, 'config/settle.yaml'))).toBe(true);
      expect(existsSync(path.join(cwd, 'config/dynamicconfig/settle.yaml'))).toBe(true);
      expect(containerPorts(temporal)).toEqual([DEFAULT_SERVER_PORTS.frontend]);
    });

    it('temporal sets only variables the configuration reads, named as the cluster names them', () => {
      const read = variablesRead(path.join(temporalServerCommand().cwd, 'config/settle.yaml'));
      const cluster = Object.keys(
        temporalServerEnv({
          postgres: { host: 'h', port: 1, user: 'u', password: 'p', url: () => '' },
          database: 'd',
          visibilityDatabase: 'v',
          ports: DEFAULT_SERVER_PORTS,
        }),
      );
      for (const name of cluster) expect(read, `cluster sets ${name}`).toContain(name);
      for (const name of Object.keys(envOf(service('temporal')))) {
        expect(read, `compose sets ${name}`).toContain(name);
        expect(cluster, `compose sets ${name}`).toContain(name);
      }
    });

    it.each(JOBS)('%s runs the repository’s script with variables it reads', (name) => {
      const job = service(name);
      const script = `scripts/${name}.sh`;
      const [source, target] = job.volumes!.map((v) => v.split(':'))[0]!;
      expect(path.normalize(source!)).toBe(script);
      expect(job.entrypoint).toEqual(['sh', target]);
      const read = variablesRead(fromRepoRoot(script));
      for (const key of Object.keys(envOf(job))) expect(read, key).toContain(key);
    });

    it('temporal-ui sets variables its template reads, as scripts/cluster.sh sets them', () => {
      const template = path.join(paths.temporalUiRoot, 'config/docker.yaml');
      expect(existsSync(template), `${template}: run bash scripts/setup.sh --cluster`).toBe(true);
      const read = variablesRead(template);
      const spec = temporalUiSpec({
        temporalAddress: 'a:1',
        port: 1,
        namespace: 'n',
        logFile: 'l',
      });
      const ui = envOf(service('temporal-ui'));
      for (const key of Object.keys(ui)) {
        expect(read, key).toContain(key);
        expect(Object.keys(spec.env), key).toContain(key);
      }
      expect(containerPorts(service('temporal-ui'))).toEqual([Number(ui.TEMPORAL_UI_PORT)]);
    });
  });

  it('the UI points at temporal and publishes 8080; the catcher publishes its web page', () => {
    const ui = envOf(service('temporal-ui'));
    expect(ui.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(ui.TEMPORAL_DEFAULT_NAMESPACE).toBe(
      envOf(service('temporal-namespace')).DEFAULT_NAMESPACE,
    );
    expect(containerPorts(service('temporal-ui'))).toEqual([8080]);
    expect(containerPorts(service('mailpit'))).toEqual([
      Number(envOf(service('mailpit')).MP_UI_BIND_ADDR!.split(':')[1]),
    ]);
  });

  it('waits on health, or on a set-up job’s success; Settle waits on everything it uses', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependencies(s))) {
        expect(Object.keys(services), `${name} → ${dependency}`).toContain(dependency);
        if ((JOBS as readonly string[]).includes(dependency)) {
          expect(condition, `${name} → ${dependency}`).toBe('service_completed_successfully');
        } else {
          expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
          expect(
            service(dependency).healthcheck,
            `${dependency} needs a healthcheck`,
          ).toBeDefined();
        }
      }
    }
    for (const name of SETTLE) {
      expect(Object.keys(dependencies(service(name)))).toEqual(
        expect.arrayContaining(['settle-postgres', 'temporal', 'temporal-namespace', 'mailpit']),
      );
    }
    expect(Object.keys(dependencies(service('settle-worker')))).toContain('settle-api');
    expect(Object.keys(dependencies(service('temporal-schema')))).toEqual(['temporal-postgres']);
    expect(Object.keys(dependencies(service('temporal')))).toEqual(['temporal-schema']);
    expect(Object.keys(dependencies(service('temporal-namespace')))).toEqual(['temporal']);
  });

  it('keeps database state in named volumes', () => {
    for (const name of ['settle-postgres', 'temporal-postgres']) {
      const volumes = (services[name] as { volumes?: string[] }).volumes ?? [];
      const [volume] = volumes.map((v) => v.split(':')[0]!);
      expect(Object.keys(compose.volumes ?? {}), name).toContain(volume);
    }
  });
});

describe('Dockerfile', () => {
  it('runs the image with NODE_ENV=production, where no development keys apply', () => {
    expect(imageEnv()).toMatchObject({ NODE_ENV: 'production' });
  });

  const steps = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));
  const installAt = steps.findIndex((line) => line.startsWith('RUN') && line.includes('npm ci'));

  it('builds on node:20-slim with npm ci', () => {
    const stages = new Set<string>();
    for (const line of steps.filter((l) => l.startsWith('FROM'))) {
      const [, image, , stage] = line.split(/\s+/);
      // Every stage starts from node:20-slim or from an earlier stage.
      expect(image === 'node:20-slim' || stages.has(image ?? ''), line).toBe(true);
      if (stage) stages.add(stage);
    }
    expect(installAt).toBeGreaterThan(0);
    expect(packageJson.scripts.postinstall).toBe('bash scripts/postinstall.sh');
    const postinstall = readFileSync(fromRepoRoot('scripts/postinstall.sh'), 'utf8');
    expect(postinstall).toContain('scripts/prisma-generate.sh');
    expect(postinstall).toContain('SETTLE_SKIP_CONSOLE_BUILD');
    expect(readFileSync(fromRepoRoot('scripts/prisma-generate.sh'), 'utf8')).toContain(
      'prisma generate',
    );
  });

  it('builds the console with the sources and serves it from the final image', () => {
    expect(steps.slice(0, installAt)).toContain('ENV SETTLE_SKIP_CONSOLE_BUILD=1');
    const build = steps.findIndex((l) => l.startsWith('RUN') && l.includes('build-console.ts'));
    expect(build).toBeGreaterThan(installAt);
    expect(steps.slice(installAt, build)).toContain('COPY . .');
    expect(steps.at(-4)).toBe('COPY --from=console /app/console/dist ./console/dist');
  });

  it('copies what npm ci and its postinstall read before running it', () => {
    const copied = steps
      .slice(0, installAt)
      .filter((line) => line.startsWith('COPY'))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    for (const needed of [
      'package.json',
      'package-lock.json',
      'prisma.config.ts',
      'prisma',
      'scripts/postinstall.sh',
      'scripts/prisma-generate.sh',
    ]) {
      expect(copied, needed).toContain(needed);
    }
  });

  it('leaves build output and local state out of the context', () => {
    const ignored = readFileSync(fromRepoRoot('.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', 'prisma/generated', 'var', '.tools', '.git', '.env'])
      expect(ignored).toContain(entry);
    // What the image runs must not be ignored.
    for (const entry of [
      'api',
      'workers',
      'workflows',
      'activities',
      'domain',
      'prisma',
      'scripts',
      'config.ts',
    ]) {
      expect(ignored).not.toContain(entry);
      expect(existsSync(fromRepoRoot(entry)), entry).toBe(true);
    }
  });
});
