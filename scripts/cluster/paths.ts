// Where the cluster's binaries and configuration live: binaries built by scripts/setup.sh
// --cluster into .tools/, configuration shared with docker-compose.yml under deploy/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot: string = fileURLToPath(new URL('../../', import.meta.url));
const tools = path.join(repoRoot, '.tools');

export const paths = {
  temporalCli: path.join(tools, 'bin/temporal'),
  temporalServer: path.join(tools, 'bin/temporal-server'),
  temporalSqlTool: path.join(tools, 'bin/temporal-sql-tool'),
  temporalUiServer: path.join(tools, 'bin/temporal-ui-server'),
  /** --root of the UI server: config/docker.yaml, the template its Docker image renders. */
  temporalUiRoot: path.join(tools, 'temporal-ui'),
  /** --root of the Temporal server: config/settle.yaml and config/dynamicconfig/settle.yaml. */
  temporalServerRoot: path.join(repoRoot, 'deploy/temporal'),
  schemaScript: path.join(repoRoot, 'scripts/temporal-schema.sh'),
  namespaceScript: path.join(repoRoot, 'scripts/temporal-namespace.sh'),
  setupScript: path.join(repoRoot, 'scripts/setup.sh'),
  postgresScript: path.join(repoRoot, 'scripts/postgres.sh'),
} as const;

/** Throws with the command that installs the cluster's binaries when one is missing. */
export function requireClusterTools(): void {
  for (const binary of [
    paths.temporalCli,
    paths.temporalServer,
    paths.temporalSqlTool,
    paths.temporalUiServer,
  ]) {
    if (!existsSync(binary)) {
      throw new Error(`${binary} is missing: run \`bash scripts/setup.sh --cluster\` first`);
    }
  }
}
