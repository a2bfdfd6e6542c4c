/**
 * `npm run portal:api-types`: reads the API's OpenAPI document as served at /docs-json, writes it
 * beside the portal and generates the portal's TypeScript types from it with openapi-typescript.
 * Run it after an API change; the generated files are committed (a contract test says when they are stale).
 * A default value makes a field optional in a request, not required: --default-non-nullable=false.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { servedOpenApi } from './served-openapi';

const OUT = resolve(__dirname, '../apps/portal/src/api');

async function main(): Promise<void> {
  const document = JSON.stringify(await servedOpenApi(), null, 2) + '\n';
  writeFileSync(join(OUT, 'openapi.json'), document);
  execFileSync(process.execPath, [resolve(__dirname, '../node_modules/openapi-typescript/bin/cli.js'), join(OUT, 'openapi.json'), '-o', join(OUT, 'schema.d.ts'), '--default-non-nullable=false'], { stdio: 'inherit' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
