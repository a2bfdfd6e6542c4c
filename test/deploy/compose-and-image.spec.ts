/**
 * The image and the compose file, checked without a Docker engine (none runs on CI): the compose file
 * against the Compose Specification's JSON schema (as shipped by the dclint package, which also lints
 * it) and against our rules (one published port, healthchecks, secrets without defaults, EventStoreDB
 * unpublished under a profile); the Dockerfile's stages and the files they copy; `docker compose
 * config` where the tool exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, {
    image?: string; build?: string; ports?: string[]; profiles?: string[]; command?: string[]; healthcheck?: { test: string[] };
    depends_on?: Record<string, { condition: string; required?: boolean }>; deploy?: { replicas?: number }; environment?: Record<string, string>; volumes?: string[];
  }>;
};
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    // Draft-07; its $schema is spelt without the trailing '#', which Ajv does not know by that name.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'dclint', 'schemas', 'compose.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema has teeth: a condition compose does not know is refused.
    const broken = structuredClone(compose);
    broken.services.api.depends_on!.postgres.condition = 'service_ready';
    expect(validate(broken)).toBe(false);
  });

  it('passes dclint with no error', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'dclint', 'bin', 'dclint.cjs'), join(ROOT, 'docker-compose.yml')], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout + result.stderr).toMatch(/0 errors/);
    expect(result.status).toBe(0);
  });

  it('runs PostgreSQL, two api replicas behind one entry port, one worker, and EventStoreDB only under a profile', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['api', 'eventstoredb', 'postgres', 'proxy', 'worker']);
    expect(services.api.deploy?.replicas).toBe(2);
    expect(services.worker.deploy?.replicas ?? 1).toBe(1);
    expect(services.api.environment?.RUN_PROJECTIONS).toBe('false');
    expect(services.eventstoredb.profiles).toEqual(['eventstoredb']);
    expect(services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
  });

  it('publishes one port, the entry, and it is configurable', () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports && s.ports.length > 0);
    expect(published.map(([name]) => name)).toEqual(['proxy']);
    expect(compose.services.proxy.ports).toEqual(['${ATLAUJA_BIND:-0.0.0.0}:${ATLAUJA_PORT:-8080}:8080']);
  });

  it('has a healthcheck on every long-running service and waits for health before depending on it', () => {
    for (const [name, service] of Object.entries(compose.services)) expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    expect(compose.services.api.healthcheck?.test.join(' ')).toContain('/ready');
    expect(compose.services.worker.healthcheck?.test.join(' ')).toContain('3001/ready');
    expect(compose.services.api.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    expect(compose.services.worker.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    expect(compose.services.proxy.depends_on?.api).toEqual({ condition: 'service_healthy' });
    expect(compose.services.api.depends_on?.eventstoredb).toEqual({ condition: 'service_healthy', required: false });
  });

  it('gives no secret a default: the password and the issuer must be set', () => {
    expect(composeText).not.toMatch(/POSTGRES_PASSWORD:-/);
    expect(composeText).toMatch(/\$\{POSTGRES_PASSWORD:\?[^}]+\}/);
    expect(composeText).toMatch(/\$\{OIDC_ISSUER:\?[^}]+\}/);
    expect(compose.services.postgres.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('mounts only files that exist in the repository', () => {
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./') && source !== './trust') expect([volume, existsSync(join(ROOT, source))]).toEqual([volume, true]);
      }
    }
  });

  const docker = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  (docker.status === 0 ? it : it.skip)('is accepted by `docker compose config` (where the tool exists)', () => {
    const result = spawnSync('docker', ['compose', '-f', join(ROOT, 'docker-compose.yml'), 'config', '--quiet'], {
      encoding: 'utf8',
      env: { ...process.env, POSTGRES_PASSWORD: 'not-a-real-one', OIDC_ISSUER: 'https://issuer.example' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('Dockerfile', () => {
  const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);

  it('has a build stage and a runtime stage; the runtime installs production dependencies only and runs as a user that is not root', () => {
    expect(stages).toEqual(['build', 'runtime']);
    const runtime = dockerfile.slice(dockerfile.search(/^FROM .* AS runtime/im));
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/apps\/api\/src\/main.js"\]/m);
  });

  it('copies only files that exist, from stages that exist', () => {
    for (const [, flags, sources] of dockerfile.matchAll(/^COPY\s+((?:--\S+\s+)*)(.+)\s+\S+$/gm)) {
      const from = /--from=(\S+)/.exec(flags)?.[1];
      if (from) {
        expect(stages).toContain(from);
        continue;
      }
      for (const source of sources.trim().split(/\s+/)) expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
    }
  });

  it('starts what the build compiles: the api and the worker entry points exist, and `npm run build` makes dist/ from tsconfig.build.json and the portal', () => {
    expect(existsSync(join(ROOT, 'apps', 'api', 'src', 'main.ts'))).toBe(true);
    expect(existsSync(join(ROOT, 'apps', 'worker', 'src', 'main.ts'))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    // The build stage has the dev dependencies: the server's TypeScript, the @atlauja/* packages of dist/
    // (so that plain node starts it), then the portal's Vite build into dist/portal.
    expect(pkg.scripts.build).toMatch(/^tsc -p tsconfig\.build\.json && node scripts\/dist-aliases\.js && vite build --config apps\/portal\/vite\.config\.mts/);
    expect(pkg.scripts.start).toBe('node dist/apps/api/src/main.js');
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include).toEqual(expect.arrayContaining(['apps', 'libs']));
  });

  it('leaves the data, the dependencies and the git history out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git', '.env']));
  });
});
