// `npm run diagram`: writes the lifecycle state diagram, generated from domain/lifecycle.ts, into
// the README between its markers. test/unit/lifecycle-diagram.test.ts fails when it is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DIAGRAM_END, DIAGRAM_START, diagramBlock } from '../domain/lifecycle-diagram';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const text = await readFile(readme, 'utf8');
const start = text.indexOf(DIAGRAM_START);
const end = text.indexOf(DIAGRAM_END);
if (start < 0 || end < start) {
  console.error(`README.md has no "${DIAGRAM_START}" … "${DIAGRAM_END}" section`);
  process.exit(1);
}
await writeFile(
  readme,
  text.slice(0, start) + diagramBlock() + text.slice(end + DIAGRAM_END.length),
);
console.log('README.md: lifecycle diagram updated');
