/**
 * The real application in-process for the reliability suites (like test/support/api-harness.ts,
 * whose bodies and PKI it reuses), with the token issuer exposed so a suite can mint as many
 * principals as it needs, and requests sent through Fastify's inject (no sockets: fast).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LocalTokenIssuer } from '@atlauja/auth';
import { parseCrl } from '@atlauja/signatures';
import { EventStore } from '@atlauja/event-store';
import { testPki, TestChain } from '../../../libs/signatures/src/testing/test-pki';
import { oldFormatPersonalCode } from '../../../libs/signatures/src/testing/personal-codes';
import { createApp } from '../../../apps/api/src/app.factory';
import { loadConfig } from '../../../apps/api/src/config/configuration';
import { MINISTRY } from '../../support/api-harness';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface InjectResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json(): any;
}

export interface ReliabilityApp {
  app: NestFastifyApplication;
  store: EventStore;
  issuer: LocalTokenIssuer;
  chain: TestChain;
  tokens: { representative: string; approver: string; auditor: string; admin: string };
  /** Personal codes used by this app's principals (for the secrets check). */
  codes: string[];
  logLines: string[];
  /** Every route the application serves (method and URL as declared, e.g. `/applications/:id`). */
  routes: { method: string; url: string }[];
  inject(options: { method: Method | string; url: string; headers?: Record<string, string>; payload?: string | object | Buffer }): Promise<InjectResponse>;
  close(): Promise<void>;
}

export async function startApp(store: EventStore, env: Record<string, string> = {}): Promise<ReliabilityApp> {
  const pki = testPki();
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-reliability-'));
  const issuer = await LocalTokenIssuer.open(dir);
  const logLines: string[] = [];
  // A portal as the build leaves it (its pages are fuzzed like every route, without a Vite build first).
  const portalDir = join(dir, 'portal');
  mkdirSync(join(portalDir, 'assets'), { recursive: true });
  writeFileSync(join(portalDir, 'index.html'), '<!doctype html><html lang="lv"><head><title>Atļauja</title></head><body><div id="root"></div></body></html>');
  const { app, startup } = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'info', ...env }), {
    portalDir,
    eventStore: store,
    tokenVerifier: issuer,
    trust: { anchors: [pki.ec.anchor, pki.rsa.anchor], crls: [...pki.ec.crls, ...pki.rsa.crls].map(parseCrl), demo: false },
    // The Latvian policy needs a timestamp: the test PKI's TSA, in the process, completes the B-level signatures.
    timestampAuthority: { key: pki.tsa.privateKey, certificate: pki.tsa.der, anchors: [pki.rsa.anchor] },
    logSink: { write: (line) => void logLines.push(line) },
  });
  const routes: { method: string; url: string }[] = [];
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await app.init();
  await startup.done;
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const approverCode = oldFormatPersonalCode('020290', 1, 101);
  const auditorCode = oldFormatPersonalCode('040492', 1, 303);
  const adminCode = oldFormatPersonalCode('050593', 1, 404);
  return {
    app,
    store,
    issuer,
    chain: pki.ec,
    tokens: {
      representative: await issuer.mint({ subject: pki.ec.personalCode, roles: ['representative'], institutions: [MINISTRY] }),
      approver: await issuer.mint({ subject: approverCode, roles: ['approver'], institutions: [] }),
      auditor: await issuer.mint({ subject: auditorCode, roles: ['auditor'], institutions: [] }),
      admin: await issuer.mint({ subject: adminCode, roles: ['admin'], institutions: [] }),
    },
    codes: [pki.ec.personalCode, pki.rsa.personalCode, approverCode, auditorCode, adminCode],
    logLines,
    routes,
    inject: (fastify.inject as unknown as (options: unknown) => Promise<InjectResponse>).bind(fastify),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
