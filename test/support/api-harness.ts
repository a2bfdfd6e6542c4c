/**
 * The real application on the embedded store (PGlite in memory), with tokens from a local issuer,
 * the signatures library's test PKI as the trusted CAs, and representatives whose personal codes
 * are those of the test PKI's qualified certificates, so they can really sign.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { LocalTokenIssuer, Principal } from '@atlauja/auth';
import { EventStore, openEmbeddedEventStore } from '@atlauja/event-store';
import { parseCrl, signDetachedCades } from '@atlauja/signatures';
import { testPki, TestChain } from '../../libs/signatures/src/testing/test-pki';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';
import { createApp } from '../../apps/api/src/app.factory';
import { AppOverrides } from '../../apps/api/src/app.module';
import { loadConfig } from '../../apps/api/src/config/configuration';

export const MINISTRY = '90000000001';
export const SUBORDINATE = '90000000002';
export const CVI = '90000000003';

export interface Harness {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  store: EventStore;
  tokens: Record<'representative' | 'representativeAndApprover' | 'otherRepresentative' | 'subordinateRepresentative' | 'approver' | 'secondApprover' | 'auditor' | 'admin', string>;
  /** The representative's qualified certificate (EC chain) and another person's (RSA chain). */
  representativeChain: TestChain;
  otherPersonChain: TestChain;
  logLines: string[];
  /** Every route the application serves (method and URL as declared, e.g. `/applications/:id`). */
  routes: { method: string; url: string }[];
  /** Issue 8: mints any principal (e.g. the portal's service credential) with the harness's issuer. */
  mint(principal: Principal): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(overrides: AppOverrides = {}, env: Record<string, string> = {}): Promise<Harness> {
  const pki = testPki();
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-api-'));
  const issuer = await LocalTokenIssuer.open(dir);
  const store = overrides.eventStore ?? (await openEmbeddedEventStore(':memory:'));
  const logLines: string[] = [];
  const { app, startup } = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'info', ...env }), {
    eventStore: store,
    tokenVerifier: issuer,
    trust: { anchors: [pki.ec.anchor, pki.rsa.anchor], crls: [...pki.ec.crls, ...pki.rsa.crls].map((der) => parseCrl(der)), demo: false },
    // Under the default (latvian) policy, B-level test signatures are completed by the test PKI's TSA.
    timestampAuthority: { key: pki.tsa.privateKey, certificate: pki.tsa.der, anchors: [pki.rsa.anchor] },
    logSink: { write: (line) => void logLines.push(line) },
    ...overrides,
  });
  const routes: { method: string; url: string }[] = [];
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await app.init();
  await startup.done;
  await app.getHttpAdapter().getInstance().ready();

  const mint = (p: Principal) => issuer.mint(p);
  const tokens = {
    // Represents the ministry; the EC chain's holder is this person.
    representative: await mint({ subject: pki.ec.personalCode, roles: ['representative'], institutions: [MINISTRY] }),
    // The same person holding both roles: four eyes must stop them deciding on their own application.
    representativeAndApprover: await mint({ subject: pki.ec.personalCode, roles: ['representative', 'approver'], institutions: [MINISTRY] }),
    // Also represents the ministry (a colleague); the RSA chain's holder.
    otherRepresentative: await mint({ subject: pki.rsa.personalCode, roles: ['representative'], institutions: [MINISTRY] }),
    subordinateRepresentative: await mint({ subject: oldFormatPersonalCode('150385', 1, 417), roles: ['representative'], institutions: [SUBORDINATE] }),
    approver: await mint({ subject: oldFormatPersonalCode('020290', 1, 101), roles: ['approver'], institutions: [] }),
    secondApprover: await mint({ subject: oldFormatPersonalCode('030391', 1, 202), roles: ['approver'], institutions: [] }),
    auditor: await mint({ subject: oldFormatPersonalCode('040492', 1, 303), roles: ['auditor'], institutions: [] }),
    admin: await mint({ subject: oldFormatPersonalCode('050593', 1, 404), roles: ['admin'], institutions: [] }),
  };
  return {
    app,
    http: () => request(app.getHttpServer()),
    store,
    tokens,
    representativeChain: pki.ec,
    otherPersonChain: pki.rsa,
    logLines,
    routes,
    mint,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A detached CAdES-BES over the document, by the chain's holder, signed now. */
export function signDocument(chain: TestChain, documentBase64: string, signingTime = new Date()): string {
  return signDetachedCades(Buffer.from(documentBase64, 'base64'), {
    key: chain.holder.privateKey,
    certificate: chain.holder.der,
    chain: [chain.ica.der],
    signingTime,
  }).toString('base64');
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A valid draft for a ministry user who oversees the resort's estimates and prepares the ministry's own. */
export function draftBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'new-user',
    institution: MINISTRY,
    user: { givenName: 'Anna', surname: 'Bērziņa', personalCode: oldFormatPersonalCode('121288', 1, 555), email: 'anna.berzina@ministrija.gov.lv' },
    term: { kind: 'after-last-login', months: 18 },
    justification: 'Oversees the subordinate institutions\' estimates and prepares the ministry\'s own.',
    ...overrides,
  };
}

export const MINISTRY_USER_RIGHTS = {
  rights: [
    { kind: 'resort', resort: MINISTRY, groups: ['VIEW'] },
    { kind: 'institution', institution: MINISTRY, groups: ['MANAGE'] },
  ],
};
