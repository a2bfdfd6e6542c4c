/** The README's configuration table stays true: it names every variable the schema declares, and no other. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { variables } from './variables';

it('the README configuration table lists exactly the declared variables', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## The stores'));
  const documented = new Set([...section.matchAll(/^\| (.+?) \|/gm)].flatMap((row) => [...row[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])));
  const declared = Object.keys(variables).filter((name) => name !== 'NODE_ENV');
  expect([...documented].sort()).toEqual(declared.sort());
});
