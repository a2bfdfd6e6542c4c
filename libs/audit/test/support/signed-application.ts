/**
 * Real histories for the audit specs: commands run through `decide`, the document to sign built
 * with the real documentToSign, signed by the test PKI's qualified holder and verified by the
 * signatures library, evidence kept as the API keeps it ({ verdict: { checks, evidence } }).
 */
import {
  APPLICATION_EVENT_SCHEMA_VERSION,
  decide,
  foldApplication,
  type Actor,
  type ApplicationCommand,
  type ApplicationEvent,
} from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { acceptancePolicyCheck, signDetachedCades, verifyDetachedCades } from '@atlauja/signatures';
import { cmsSignatureValue, opensslOcspResponse, withCmsOcspResponses } from '../../../signatures/src/testing/long-term-material';
import { issueTimestampToken } from '../../../signatures/src/testing/timestamp-authority';
import { actorIdOf, signedDocumentOf, timeOf } from '@atlauja/audit';
import type { TestChain, TestPki } from '../../../signatures/src/testing/test-pki';
import { oldFormatPersonalCode } from '../../../signatures/src/testing/personal-codes';
import { FACTS, MINISTRY } from '../../../domain/test/fixtures';

/** An approver who is nobody in the test PKI (so four eyes holds whichever chain signs). */
export const APPROVER: Actor = { id: oldFormatPersonalCode('020290', 1, 101), role: 'approver' };
export const USER_CODE = oldFormatPersonalCode('121288', 1, 555);

/** ISO instant to the second, as the domain accepts it. */
export const instant = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface SignedApplication {
  readonly applicationId: string;
  readonly stream: string;
  readonly events: ApplicationEvent[];
}

/** draft → rights → submit → sign → claim → approve, one minute apart, ending a minute before the PKI's "now". */
export function signedApplication(
  pki: TestPki,
  chain: TestChain,
  applicationId: string,
  options: { approver?: Actor; stopAfterSign?: boolean; /** Under the latvian policy: the service's timestamp and an `openssl ocsp` response (CAdES-LT). */ longTerm?: boolean } = {},
): SignedApplication {
  const representative: Actor = { id: chain.personalCode, role: 'representative' };
  const approver = options.approver ?? APPROVER;
  const minute = 60_000;
  const t = (n: number): string => instant(pki.now.getTime() - (10 - n) * minute);
  const events: ApplicationEvent[] = [];
  const run = (command: ApplicationCommand): void => void events.push(...decide(command, foldApplication(events)));
  const base = (n: number, actor: Actor) => ({ applicationId, actor, at: t(n) });

  run({
    type: 'DraftApplication', ...base(0, representative), kind: 'new-user', institution: MINISTRY,
    user: { givenName: 'Anna', surname: 'Bērziņa', personalCode: USER_CODE, email: 'anna@example.lv' },
    term: { kind: 'after-last-login', months: 18 }, justification: 'Prepares the ministry estimate', facts: FACTS,
  });
  run({
    type: 'SetRights', ...base(1, representative),
    rights: [{ kind: 'resort', resort: MINISTRY, groups: ['VIEW'] }, { kind: 'institution', institution: MINISTRY, groups: ['MANAGE'] }], facts: FACTS,
  });
  const document = signedDocumentOf(applicationId, foldApplication(events), BigInt(events.length));
  run({ type: 'SubmitApplication', ...base(2, representative), documentSha256: document.sha256 });

  const signingTime = new Date(pki.now.getTime() - 7 * minute);
  let signature = signDetachedCades(document.bytes, { key: chain.holder.privateKey, certificate: chain.holder.der, chain: [chain.ica.der], signingTime });
  const longTerm = options.longTerm
    ? {
        longTerm: acceptancePolicyCheck({ name: 'latvian', tsaAnchors: [pki.rsa.anchor] }),
        serviceTimestamps: [issueTimestampToken(pki.tsa, cmsSignatureValue(signature), { genTime: () => signingTime })],
      }
    : {};
  // openssl stamps the OCSP response with the real clock: with one, the check is as of now.
  if (options.longTerm) signature = withCmsOcspResponses(signature, [opensslOcspResponse({ certificate: chain.holder, issuer: chain.ica, responder: chain.ocspResponder, status: 'good' })]);
  const now = options.longTerm ? new Date(Date.now() + 1000) : new Date(Date.parse(t(3)));
  const verdict = verifyDetachedCades(signature, document.bytes, { trustAnchors: [chain.anchor], crls: chain.crls, now, expectedPersonalCode: chain.personalCode, ...longTerm });
  if (!verdict.valid) throw new Error(`test signature refused: ${verdict.failures.join(', ')}`);
  run({
    type: 'SignApplication', ...base(3, representative),
    signature: {
      valid: true, documentSha256: document.sha256, signerPersonalCode: verdict.signer!.personalCode!, signedAt: verdict.signedAt!,
      evidence: { verdict: JSON.parse(JSON.stringify({ checks: verdict.checks, evidence: verdict.evidence })) },
    },
  });
  if (!options.stopAfterSign) {
    run({ type: 'ClaimApplication', ...base(4, approver) });
    run({ type: 'ApproveApplication', ...base(5, approver) });
  }
  return { applicationId, stream: `application-${applicationId}`, events };
}

/** Appends as the API does: envelope actor and time from the event, schema version of its type. */
export async function appendHistory(store: EventStore, stream: string, events: readonly ApplicationEvent[]): Promise<void> {
  await store.append(
    stream,
    events.map((event) => ({
      type: event.type,
      data: event.data,
      metadata: { actor: actorIdOf(event) ?? 'unknown', correlationId: 'audit-spec', occurredAt: timeOf(event), schemaVersion: APPLICATION_EVENT_SCHEMA_VERSION[event.type] },
    })),
    'no-stream',
  );
}
