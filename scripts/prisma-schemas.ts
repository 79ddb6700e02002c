// Derives prisma/postgresql/schema.prisma from prisma/schema.prisma (the source of truth).
// `--check` fails when the committed copy is stale, so CI catches a forgotten regeneration.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}prisma/schema.prisma`;
const target = `${root}prisma/postgresql/schema.prisma`;

export function postgresSchema(sqliteSchema: string): string {
  const swapped = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output     = "./generated/sqlite"', 'output     = "../generated/postgresql"');
  return `// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.ts; edit that file instead.\n${swapped}`;
}

const expected = postgresSchema(readFileSync(source, 'utf8'));
if (process.argv.includes('--check')) {
  const actual = readFileSync(target, 'utf8');
  if (actual !== expected) {
    console.error(
      'prisma/postgresql/schema.prisma is stale: run `npx tsx scripts/prisma-schemas.ts`',
    );
    process.exit(1);
  }
} else {
  writeFileSync(target, expected);
}
