// The README's state diagram is generated from the lifecycle table: this fails when it is stale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramBlock } from '../../domain/lifecycle-diagram';
import { TRANSITIONS } from '../../domain/lifecycle';
import { fromRepoRoot } from '../support/temporal';

describe('the lifecycle diagram in the README', () => {
  it('is the one the lifecycle table draws (run `npm run diagram` after changing the table)', () => {
    expect(readFileSync(fromRepoRoot('README.md'), 'utf8')).toContain(diagramBlock());
  });

  it('draws every single-phase rule as an arrow', () => {
    const diagram = diagramBlock();
    for (const rule of TRANSITIONS.filter((r) => r.from.length === 1))
      expect(diagram).toContain(`${rule.from[0]} --> ${rule.to} : ${rule.on.replace(/_/g, ' ')}`);
  });
});
