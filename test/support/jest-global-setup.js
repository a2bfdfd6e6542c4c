/**
 * Runs once before the suites. Jest runs with --experimental-vm-modules (PGlite needs it), and in
 * that mode a CommonJS package cannot require() an ES-module-only one, which Node 20.19+ itself
 * allows. @fastify/static (Swagger UI's assets) requires content-disposition 3 (ES modules only),
 * so a CommonJS rendering of it is written to node_modules/.cache for jest's module map.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

module.exports = async () => {
  const source = require.resolve('content-disposition', { paths: [path.dirname(require.resolve('@fastify/static'))] });
  const target = path.join(__dirname, '../../node_modules/.cache/atlauja-jest/content-disposition.cjs');
  const code = fs.readFileSync(source, 'utf8');
  const output = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== output) fs.writeFileSync(target, output);
};
