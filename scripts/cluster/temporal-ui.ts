// The Temporal UI server (github.com/temporalio/ui-server), configured like its Docker image: the
// module's config/docker.yaml template reads TEMPORAL_ADDRESS, TEMPORAL_UI_PORT and friends.
import { setTimeout as delay } from 'node:timers/promises';
import { paths } from './paths';
import type { ServiceSpec } from './process';

export const TEMPORAL_UI_VERSION = '2.42.1';

export function temporalUiSpec(options: {
  temporalAddress: string;
  port: number;
  namespace: string;
  logFile: string;
}): ServiceSpec {
  return {
    name: 'temporal-ui',
    command: paths.temporalUiServer,
    args: ['--root', paths.temporalUiRoot, '--config', 'config', '--env', 'docker', 'start'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_UI_PORT: String(options.port),
      TEMPORAL_DEFAULT_NAMESPACE: options.namespace,
      // No new-version banner pointing away from the pinned release.
      TEMPORAL_NOTIFY_ON_NEW_VERSION: 'false',
    },
    cwd: paths.temporalUiRoot,
    logFile: options.logFile,
  };
}

/** Resolves once the UI's settings API answers, i.e. it serves the web app and its API. */
export async function waitForUi(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${url}/api/v1/settings`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`Temporal UI at ${url} not ready within ${timeoutMs} ms`);
    await delay(250);
  }
}
