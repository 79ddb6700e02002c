// Types of scripts/layers.js for the tests that read the same table.
import type { Rule } from 'eslint';

export interface Layer {
  imports: readonly string[];
  typeImports?: readonly string[];
}
export const LAYERS: Readonly<Record<string, Layer>>;
export const TOOLS: readonly string[];
export function unitOf(root: string, file: string): string | null;
export function importProblem(
  from: string | null,
  to: string | null,
  typeOnly: boolean,
): string | null;
export const layersRule: Rule.RuleModule;
