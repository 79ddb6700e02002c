// The layers of scripts/layers.js hold over the real import graph (TypeScript's resolution of
// every import of every product file): no import runs up the layers, no module cycle, data
// access only in store/, and the README's layout table says what the code enforces.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { importProblem, LAYERS, unitOf } from '../../scripts/layers.js';
import { Prisma } from '../../store/db';
import { buildImportGraph, findCycles, ROOT, type ImportGraph } from '../support/import-graph';

let graph: ImportGraph;
beforeAll(() => {
  graph = buildImportGraph();
});

const unit = (file: string): string | null => unitOf(ROOT, path.join(ROOT, file));

describe('the import graph of the product', () => {
  it('is the whole product, every relative import resolved', () => {
    for (const folder of ['activities', 'api', 'domain', 'email', 'store', 'workers', 'workflows'])
      expect(graph.files.some((f) => f.startsWith(`${folder}/`))).toBe(true);
    expect(graph.files).toContain('config.ts');
    expect(graph.files.length).toBeGreaterThan(120);
    expect(graph.edges.length).toBeGreaterThan(500);
    expect(graph.unresolved).toEqual([]);
  });

  it('has no import that runs up the layers', () => {
    const upward = graph.edges.flatMap((edge) => {
      const problem = importProblem(unit(edge.from), unit(edge.to), edge.typeOnly);
      return problem ? [`${edge.from} → ${edge.to} (${edge.specifier}): ${problem}`] : [];
    });
    expect(upward).toEqual([]);
  });

  it('has no cycle, counting type-only imports', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('finds an upward import and a cycle when there is one', () => {
    const planted: ImportGraph = {
      ...graph,
      edges: [
        ...graph.edges,
        {
          from: 'domain/money.ts',
          to: 'domain/dispute.ts',
          specifier: './dispute',
          typeOnly: true,
        },
        { from: 'domain/dispute.ts', to: 'domain/money.ts', specifier: './money', typeOnly: false },
      ],
    };
    expect(findCycles(planted)).toContainEqual(expect.stringMatching(/domain\/dispute\.ts/));
    expect(importProblem(unit('store/outbox.ts'), unit('api/app.ts'), true)).toMatch(/store/);
    expect(importProblem(unit('workflows/scan.ts'), unit('activities/scan.ts'), false)).toMatch(
      /import type/,
    );
  });
});

// Prisma's model delegates (`db.dispute`, `tx.outboxMessage`) and the client's own methods.
const DELEGATES = new Set(
  Object.values(Prisma.ModelName).map((m) => m.charAt(0).toLowerCase() + m.slice(1)),
);
const OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
  'count',
  'aggregate',
  'groupBy',
]);
/** The processes that create the client close it; every other client method is data access. */
const CLIENT_METHODS = /^\$(?!disconnect$)/;

function prismaCalls(source: ts.SourceFile): string[] {
  const calls: string[] = [];
  const visit = (node: ts.Node): void => {
    const callee = ts.isCallExpression(node)
      ? node.expression
      : ts.isTaggedTemplateExpression(node)
        ? node.tag
        : null;
    if (callee && ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const owner = callee.expression;
      const isModelCall =
        OPERATIONS.has(name) &&
        ts.isPropertyAccessExpression(owner) &&
        DELEGATES.has(owner.name.text);
      if (isModelCall || CLIENT_METHODS.test(name)) {
        const { line } = source.getLineAndCharacterOfPosition(callee.getStart());
        calls.push(`${path.relative(ROOT, source.fileName)}:${line + 1} ${callee.getText()}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

/** Packages imported for their values (not only types) by the files the workflow bundle holds. */
function workflowBundlePackages(): Map<string, string[]> {
  const reached = new Set(['workflows/index.ts']);
  for (const file of reached)
    for (const edge of graph.edges) if (edge.from === file && !edge.typeOnly) reached.add(edge.to);
  const packages = new Map<string, string[]>();
  for (const file of reached) {
    for (const statement of graph.sources.get(file)?.statements ?? []) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const typeOnly = ts.isImportDeclaration(statement)
        ? statement.importClause?.isTypeOnly
        : statement.isTypeOnly;
      const specifier = statement.moduleSpecifier;
      if (typeOnly || !specifier || !ts.isStringLiteral(specifier)) continue;
      if (specifier.text.startsWith('.')) continue;
      packages.set(specifier.text, [...(packages.get(specifier.text) ?? []), file]);
    }
  }
  return packages;
}

describe('the workflow bundle', () => {
  // The worker instantiates the bundle's modules again for each cached workflow: a library there
  // costs its heap once per workflow in the sticky cache.
  it('holds the Temporal workflow SDK and no other package', () => {
    const packages = workflowBundlePackages();
    expect(packages.has('@temporalio/workflow')).toBe(true);
    expect([...packages].filter(([name]) => !name.startsWith('@temporalio/'))).toEqual([]);
  });
});

describe('data access', () => {
  it('calls Prisma only in store/ (scripts too: they call store functions)', () => {
    const scripts = buildImportGraph(
      ['import.ts', 'ledger-check.ts', 'migrate.ts', 'start.ts'].map((f) =>
        path.join(ROOT, 'scripts', f),
      ),
    );
    const outside = [...graph.sources, ...scripts.sources]
      .filter(([file]) => !file.startsWith('store/'))
      .flatMap(([, source]) => prismaCalls(source));
    expect(outside).toEqual([]);
    const inStore = [...graph.sources]
      .filter(([file]) => file.startsWith('store/'))
      .flatMap(([, source]) => prismaCalls(source));
    expect(inStore.length).toBeGreaterThan(50);
  });
});

describe("the README's layout table", () => {
  it('lists every layer with the imports the lint rule allows', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Layout'));
    const layout = section.slice(0, section.indexOf('\n## ', 1));
    const rows = new Map(
      [...layout.matchAll(/^\| `([\w.]+)\/?` +\|[^|]+\| ([^|]+) \|$/gm)].map((m) => [
        m[1] === 'config.ts' ? 'config' : m[1]!,
        m[2]!.trim(),
      ]),
    );
    const named = (unit: string): string => `\`${unit === 'config' ? 'config.ts' : unit}\``;
    const expected = Object.entries(LAYERS).map(([name, layer]) => {
      const allowed = [
        ...layer.imports.map(named),
        ...(layer.typeImports ?? []).map((i) => `${named(i)} (types only)`),
      ];
      return [name, allowed.length ? allowed.join(', ') : 'nothing'];
    });
    expect([...rows].sort()).toEqual(expected.sort());
  });
});
