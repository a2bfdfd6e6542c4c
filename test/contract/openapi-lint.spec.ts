import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { servedOpenApi } from '../../scripts/served-openapi';

/**
 * The document the API serves is the one committed beside the portal (its types are generated from
 * it), and Redocly's recommended rules pass on it: redocly.yaml turns none off, and
 * .redocly.lint-ignore.yaml names the two redirects that have no 2XX, with the reason.
 */
const ROOT = resolve(__dirname, '../..');
const COMMITTED = 'apps/portal/src/api/openapi.json';

describe('the OpenAPI document', () => {
  it('is the committed one (after an API change, run npm run portal:api-types)', async () => {
    const served = await servedOpenApi();
    expect(JSON.parse(readFileSync(join(ROOT, COMMITTED), 'utf8'))).toEqual(served);
  });

  it('passes Redocly lint with the recommended rules: no error, no warning', () => {
    let output: string;
    try {
      output = execFileSync(process.execPath, [join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', COMMITTED, '--format=json'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '');
    }
    const report = JSON.parse(output.slice(output.indexOf('{'))) as { totals: { errors: number; warnings: number; ignored: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0, ignored: 2 });
  });
});
