// Settle's layers: which top-level folder may import which. One table, read by the ESLint rule
// `settle/layers` (eslint.config.js), by test/unit/import-graph.test.ts and by the README's check.
import path from 'node:path';

/**
 * The product's folders (and config.ts) and what each may import besides itself; the README's
 * layout section says what each does. `typeImports` only with `import type` (erased at build).
 * @type {Readonly<Record<string, { imports: readonly string[]; typeImports?: readonly string[] }>>}
 */
export const LAYERS = {
  domain: { imports: [] },
  email: { imports: ['domain'] },
  store: { imports: ['domain', 'prisma'] },
  workflows: { imports: ['domain'], typeImports: ['activities'] },
  activities: { imports: ['workflows', 'store', 'email', 'domain'] },
  workers: { imports: ['config', 'activities', 'workflows', 'store', 'email', 'domain'] },
  api: { imports: ['config', 'activities', 'workflows', 'store', 'email', 'domain'] },
  config: { imports: ['store', 'domain'] },
  prisma: { imports: [] },
  // The agent console runs in the browser and reaches the rest only through the HTTP API.
  console: { imports: [] },
};

/** Tooling around the product: may import any folder; no product folder imports them. */
export const TOOLS = ['scripts', 'bench', 'test'];

/**
 * The layer (or tool folder) a file or import target belongs to, from its path; null outside the
 * repository and for files of none (root configuration files such as vitest.config.ts).
 * @param {string} root absolute path of the repository
 * @param {string} file absolute path, with or without extension
 * @returns {string | null}
 */
export function unitOf(root, file) {
  const relative = path.relative(root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const [first = '', ...rest] = relative.split(path.sep);
  // A top-level file (config.ts) or folder (its index), or a file inside a folder.
  const name = rest.length === 0 ? first.replace(/\.[cm]?[jt]s$/, '') : first;
  return name in LAYERS || TOOLS.includes(name) ? name : null;
}

/**
 * Why `from` may not import `to`, or null when it may.
 * @param {string | null} from
 * @param {string | null} to
 * @param {boolean} typeOnly the import is `import type` / `export type`
 * @returns {string | null}
 */
export function importProblem(from, to, typeOnly) {
  if (from === null || to === null || from === to) return null;
  if (TOOLS.includes(from)) return null;
  if (TOOLS.includes(to)) return `${from} must not import ${to}/: tooling is not product code`;
  const layer = LAYERS[from];
  if (!layer || layer.imports.includes(to)) return null;
  if (layer.typeImports?.includes(to)) {
    return typeOnly ? null : `${from} may import ${to} only with \`import type\``;
  }
  const allowed = [...layer.imports, ...(layer.typeImports ?? []).map((t) => `${t} (types)`)];
  return `${from} may import only ${allowed.length ? allowed.join(', ') : 'itself'}, not ${to}`;
}

/**
 * ESLint rule: every relative import (static, dynamic, re-export, `import('…')` type) is resolved
 * against the importing file and checked with importProblem, so the depth of `../` never matters.
 * @type {import('eslint').Rule.RuleModule}
 */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layers of scripts/layers.js' },
    schema: [],
    messages: { layer: '{{problem}} (import of "{{specifier}}"; layers in scripts/layers.js)' },
  },
  create(context) {
    const root = context.settings.layersRoot ?? context.cwd;
    const file = context.physicalFilename;
    const from = unitOf(root, file);
    if (from === null || TOOLS.includes(from)) return {};
    /** @param {any} source @param {boolean} typeOnly */
    const check = (source, typeOnly) => {
      const specifier = source?.type === 'Literal' ? source.value : null;
      if (typeof specifier !== 'string' || !/^\.{1,2}(\/|$)|^\//.test(specifier)) return;
      const to = unitOf(root, path.resolve(path.dirname(file), specifier));
      const problem = importProblem(from, to, typeOnly);
      if (problem)
        context.report({ node: source, messageId: 'layer', data: { problem, specifier } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => check(node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node.source, false),
      /** @param {any} node */
      TSImportType: (node) => check(node.argument?.literal, true),
      /** @param {any} node */
      TSImportEqualsDeclaration: (node) =>
        check(node.moduleReference?.expression, node.importKind === 'type'),
    };
  },
};
