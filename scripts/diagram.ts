/**
 * `npm run diagram`: writes the lifecycle drawn from applicationMachine into docs/lifecycle.md
 * (created when missing) and into README.md between <!-- lifecycle:start --> and
 * <!-- lifecycle:end --> when the README has those markers.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  LIFECYCLE_MARKERS,
  TRANSITIONS_MARKERS,
  renderLifecycleDiagram,
  renderLifecycleDocument,
  renderTransitionTable,
  replaceBetweenMarkers,
} from '@atlauja/domain';

const root = join(__dirname, '..');
const docPath = join(root, 'docs', 'lifecycle.md');
const readmePath = join(root, 'README.md');

function writeDoc(): void {
  const diagram = renderLifecycleDiagram();
  const current = existsSync(docPath) ? readFileSync(docPath, 'utf8') : null;
  let next = current === null ? null : replaceBetweenMarkers(current, diagram, LIFECYCLE_MARKERS);
  next = next === null ? null : replaceBetweenMarkers(next, renderTransitionTable(), TRANSITIONS_MARKERS);
  if (next === null) next = renderLifecycleDocument(); // missing file or markers: write it whole
  mkdirSync(dirname(docPath), { recursive: true });
  writeFileSync(docPath, next);
  console.log(`${current === next ? 'unchanged' : 'wrote'} ${docPath}`);
}

function writeReadme(): void {
  if (!existsSync(readmePath)) return console.log('README.md absent: skipped');
  const current = readFileSync(readmePath, 'utf8');
  const next = replaceBetweenMarkers(current, renderLifecycleDiagram(), LIFECYCLE_MARKERS);
  if (next === null) return console.log(`README.md has no ${LIFECYCLE_MARKERS.start} marker: skipped`);
  writeFileSync(readmePath, next);
  console.log(`${current === next ? 'unchanged' : 'wrote'} ${readmePath}`);
}

writeDoc();
writeReadme();
