import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import * as ts from 'typescript';
import { servedOpenApi } from '../../scripts/served-openapi';
import { OpenApi, operationsOf, resolve, successStatuses } from './openapi-support';

/**
 * A client generated from the served /docs-json (openapi-typescript, as the portal's) calls every
 * operation with arguments drawn from the document, and the TypeScript compiler accepts each call
 * and types each success body as something (not never, not unknown).
 */
const ROOT = resolvePath(__dirname, '../..');
// Inside the repository, so that the generated file resolves openapi-fetch from node_modules.
const WORK = join(ROOT, 'node_modules', '.cache', 'atlauja-contract');

/** A value of the schema, as a TypeScript expression: what a caller would send. */
function sample(document: OpenApi, node: any, depth = 0): string {
  const schema = resolve(document, node) ?? {};
  if (depth > 8) return '{}';
  if (schema.enum) return JSON.stringify(schema.enum[0]);
  if (schema.oneOf || schema.anyOf) return sample(document, (schema.oneOf ?? schema.anyOf)[0], depth + 1);
  if (schema.allOf) {
    const parts = schema.allOf.map((s: any) => sample(document, s, depth + 1)).filter((s: string) => s.startsWith('{'));
    return `{ ${parts.map((p: string) => `...${p}`).join(', ')} }`;
  }
  switch (schema.type) {
    case 'string':
      return schema.format === 'binary' ? "'bytes'" : "'x'";
    case 'integer':
    case 'number':
      return String(schema.minimum ?? 1);
    case 'boolean':
      return 'true';
    case 'array':
      return `[${sample(document, schema.items, depth + 1)}]`;
    default: {
      const required: string[] = schema.required ?? [];
      const props = Object.entries(schema.properties ?? {}).filter(([k]) => required.includes(k));
      return `{ ${props.map(([k, v]) => `${JSON.stringify(k)}: ${sample(document, v, depth + 1)}`).join(', ')} }`;
    }
  }
}

function callOf(document: OpenApi, path: string, method: string, op: Record<string, any>, index: number): string {
  const parameters = (op.parameters ?? []).map((p: any) => resolve(document, p));
  const group = (where: string) => {
    const ps = parameters.filter((p: any) => p.in === where && p.required);
    return ps.length > 0 ? `${where}: { ${ps.map((p: any) => `${JSON.stringify(p.name)}: ${sample(document, p.schema)}`).join(', ')} }` : '';
  };
  const params = ['path', 'query', 'header'].map(group).filter(Boolean);
  const json = resolve(document, op.requestBody)?.content?.['application/json']?.schema;
  const init = [params.length > 0 ? `params: { ${params.join(', ')} }` : '', json ? `body: ${sample(document, json)}` : ''].filter(Boolean);
  const call = `api.${method.toUpperCase()}(${JSON.stringify(path)}${init.length > 0 ? `, { ${init.join(', ')} }` : ''})`;
  const hasBody = successStatuses(op).some((s) => resolve(document, op.responses[s]).content);
  return [
    `  const r${index} = await ${call};`,
    hasBody ? `  typed<Something<NonNullable<typeof r${index}.data>>>(${JSON.stringify(`${method.toUpperCase()} ${path}`)});` : `  void r${index};`,
  ].join('\n');
}

function compile(files: Record<string, string>): string[] {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(WORK, name), text);
  const program = ts.createProgram([join(WORK, 'calls.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const HEADER = `import createClient from 'openapi-fetch';
import type { paths } from './schema';
const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000' });
/** True when T is a type a caller can use: not never, not unknown. */
type Something<T> = [T] extends [never] ? false : unknown extends T ? false : true;
function typed<T extends true>(_operation: string): void {}
`;

describe('a typed client generated from the served OpenAPI document', () => {
  let document: OpenApi;
  let schema: string;

  beforeAll(async () => {
    document = await servedOpenApi();
    const dir = join(ROOT, 'node_modules', '.cache', 'atlauja-contract-doc');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    execFileSync(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), join(dir, 'openapi.json'), '-o', join(dir, 'schema.d.ts'), '--default-non-nullable=false'], { stdio: 'pipe' });
    schema = readFileSync(join(dir, 'schema.d.ts'), 'utf8');
  });

  it('type-checks a call of every operation, each success body typed', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(59);
    const calls = operations.map(({ path, method, op }, i) => callOf(document, path, method, op, i));
    const diagnostics = compile({ 'schema.d.ts': schema, 'calls.ts': `${HEADER}export async function everyOperation(): Promise<void> {\n${calls.join('\n')}\n}\n` });
    expect(diagnostics).toEqual([]);
  });

  it('would fail on a call the document does not allow, and on an untyped body (the check can fail)', () => {
    const wrong = `${HEADER}export async function wrong(): Promise<void> {
  await api.GET('/applications/{id}', { params: { path: {} } });
  await api.POST('/applications/{id}/reject', { params: { path: { id: 'x' } }, body: { reasons: 'x' } });
  typed<Something<unknown>>('unknown');
}\n`;
    const diagnostics = compile({ 'schema.d.ts': schema, 'calls.ts': wrong });
    expect(diagnostics.length).toBeGreaterThanOrEqual(3);
  });
});
