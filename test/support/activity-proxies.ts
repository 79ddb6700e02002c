// The dispute workflow's activity proxies as the code spells them: each proxy of
// workflows/activities.ts with its non-retryable error types, and the activities workflows/ calls
// through it, read with the TypeScript compiler. Tests enumerate these, so a type or a call added
// to the workflow shows up in them instead of going untested.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { fromRepoRoot } from './temporal';

export interface ActivityProxy {
  /** The exported constant, e.g. `ledger`. */
  name: string;
  local: boolean;
  /** `retry.nonRetryableErrorTypes`, in the order written. */
  nonRetryable: string[];
  /** Activities called as `<name>.<activity>(…)` or `activities.<name>.<activity>(…)`, sorted. */
  calls: string[];
}

const PROXIES_FILE = 'workflows/activities.ts';

function sourceOf(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name)
      return p.initializer;
  return undefined;
}

function nonRetryableTypes(options: ts.Expression | undefined): string[] {
  if (!options || !ts.isObjectLiteralExpression(options)) return [];
  const retry = property(options, 'retry');
  if (!retry || !ts.isObjectLiteralExpression(retry)) return [];
  const types = property(retry, 'nonRetryableErrorTypes');
  if (!types) return [];
  if (!ts.isArrayLiteralExpression(types) || !types.elements.every(ts.isStringLiteral))
    throw new Error(`${PROXIES_FILE}: nonRetryableErrorTypes is not a list of string literals`);
  return types.elements.map((e) => (e as ts.StringLiteral).text);
}

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return workflowFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `proxy.activity(…)` and `x.proxy.activity(…)` calls in workflows/, by proxy name. */
function callsByProxy(names: ReadonlySet<string>): Map<string, Set<string>> {
  const calls = new Map<string, Set<string>>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const target = node.expression.expression;
      const proxy = ts.isIdentifier(target)
        ? target.text
        : ts.isPropertyAccessExpression(target)
          ? target.name.text
          : null;
      if (proxy !== null && names.has(proxy)) {
        const set = calls.get(proxy) ?? new Set<string>();
        set.add(node.expression.name.text);
        calls.set(proxy, set);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const file of workflowFiles(fromRepoRoot('workflows'))) visit(sourceOf(file));
  return calls;
}

export function activityProxies(): ActivityProxy[] {
  const proxies: Omit<ActivityProxy, 'calls'>[] = [];
  for (const statement of sourceOf(fromRepoRoot(PROXIES_FILE)).statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression)) continue;
      const factory = init.expression.text;
      if (factory !== 'proxyActivities' && factory !== 'proxyLocalActivities') continue;
      if (!ts.isIdentifier(declaration.name)) continue;
      proxies.push({
        name: declaration.name.text,
        local: factory === 'proxyLocalActivities',
        nonRetryable: nonRetryableTypes(init.arguments[0]),
      });
    }
  }
  const calls = callsByProxy(new Set(proxies.map((p) => p.name)));
  return proxies.map((p) => ({ ...p, calls: [...(calls.get(p.name) ?? [])].sort() }));
}
