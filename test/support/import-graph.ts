// The real import graph of the product: every import of every product file, resolved the way
// TypeScript resolves it (tsconfig.json), with whether it is type-only.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { LAYERS, TOOLS } from '../../scripts/layers.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ImportEdge {
  /** Paths relative to the repository, with `/`. */
  from: string;
  to: string;
  specifier: string;
  typeOnly: boolean;
}

export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
  /** Relative imports that resolve to no file. */
  unresolved: { from: string; specifier: string }[];
  /** Each parsed file, for checks of what the code does besides importing. */
  sources: Map<string, ts.SourceFile>;
}

const relative = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : tsFiles(full);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The TypeScript files of the product folders (LAYERS) and config.ts; never the tools. */
export function productFiles(): string[] {
  const folders = Object.keys(LAYERS).filter((name) => name !== 'config' && !TOOLS.includes(name));
  return [
    path.join(ROOT, 'config.ts'),
    ...folders.flatMap((name) => tsFiles(path.join(ROOT, name))),
  ].sort();
}

/** Module specifiers of a file: static, dynamic, re-exports and `import('…')` types. */
function importsOf(source: ts.SourceFile): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: node.importClause?.isTypeOnly ?? false,
      });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file)) as {
    config: unknown;
  };
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile).options;
}

export function buildImportGraph(files: readonly string[] = productFiles()): ImportGraph {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const graph: ImportGraph = {
    files: files.map(relative),
    edges: [],
    unresolved: [],
    sources: new Map(),
  };
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      ts.sys.readFile(file) ?? '',
      ts.ScriptTarget.ES2022,
      true,
    );
    graph.sources.set(relative(file), source);
    for (const { specifier, typeOnly } of importsOf(source)) {
      const { resolvedModule } = ts.resolveModuleName(specifier, file, options, host);
      const isRelative = specifier.startsWith('.') || specifier.startsWith('/');
      if (!resolvedModule) {
        if (isRelative) graph.unresolved.push({ from: relative(file), specifier });
        continue;
      }
      if (resolvedModule.isExternalLibraryImport && !isRelative) continue;
      graph.edges.push({
        from: relative(file),
        to: relative(resolvedModule.resolvedFileName),
        specifier,
        typeOnly,
      });
    }
  }
  return graph;
}

/** Every cycle among `files`, one per strongly connected component, as `a → b → a`. */
export function findCycles(graph: ImportGraph): string[] {
  const next = new Map<string, string[]>(graph.files.map((f) => [f, []]));
  for (const edge of graph.edges) next.get(edge.from)?.push(edge.to);
  for (const [from, tos] of next)
    next.set(
      from,
      [...new Set(tos)].filter((t) => next.has(t)),
    );

  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)!.includes(v)) components.push(component);
    }
  };
  for (const file of graph.files) if (!index.has(file)) connect(file);

  // One concrete cycle through each component's first file, by breadth-first search inside it.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of next.get(v)!) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [v];
          while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
          return [...path, start].join(' → ');
        }
        if (!cameFrom.has(w)) {
          cameFrom.set(w, v);
          queue.push(w);
        }
      }
    }
    return component.join(' → ');
  });
}
