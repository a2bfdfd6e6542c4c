/**
 * The people of a local-mode run, prepared in its DATA_DIR before the server starts: the demo PKI
 * (the server loads the same files; its signer is local mode's demo representative) and tokens from
 * the local issuer (the server verifies them with the same key file).
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LocalTokenIssuer } from '@atlauja/auth';
import { ensureDemoPki, signDetachedCades } from '@atlauja/signatures';
import { DEMO_REPRESENTATIVE_CODE } from '../../apps/api/src/store/trust-material';
import { newFormatPersonalCode, oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';

export const MINISTRY = '90000000001';

export interface Actors {
  tokens: { representative: string; approvers: string[]; auditor: string };
  /** A detached CAdES-BES over the document (base64 in, base64 out), by the demo representative. */
  sign(documentBase64: string): string;
  /** Personal codes that appear in requests and must never appear in logs. */
  personalCodes: string[];
  issuer: LocalTokenIssuer;
}

/** The applicant in every draft: a person whose code must stay out of the logs. */
export const APPLICANT_CODE = oldFormatPersonalCode('121288', 1, 555);

export async function prepareActors(dataDir: string, approverCount = 4): Promise<Actors> {
  const pki = ensureDemoPki(dataDir, DEMO_REPRESENTATIVE_CODE);
  const key = readFileSync(pki.signerKeyPath, 'utf8');
  const certificate = readFileSync(pki.signerCertificatePath);
  const issuer = await LocalTokenIssuer.open(dataDir);
  const approverCodes = Array.from({ length: approverCount }, (_, i) => oldFormatPersonalCode('020290', 1, 101 + i * 7));
  const auditorCode = oldFormatPersonalCode('040492', 1, 303);
  return {
    issuer,
    tokens: {
      representative: await issuer.mint({ subject: DEMO_REPRESENTATIVE_CODE, roles: ['representative'], institutions: [MINISTRY] }),
      approvers: await Promise.all(approverCodes.map((subject) => issuer.mint({ subject, roles: ['approver'], institutions: [] }))),
      auditor: await issuer.mint({ subject: auditorCode, roles: ['auditor'], institutions: [] }),
    },
    sign: (documentBase64) =>
      signDetachedCades(Buffer.from(documentBase64, 'base64'), { key, certificate, signingTime: new Date() }).toString('base64'),
    personalCodes: [DEMO_REPRESENTATIVE_CODE, APPLICANT_CODE, auditorCode, ...approverCodes],
  };
}

/**
 * A person nobody has applied for yet (a random code of the 32… format): a user holds one grant per
 * institution, so a load that approves many new-user applications needs a new user for each.
 */
export function freshApplicantCode(): string {
  return newFormatPersonalCode(String(randomInt(0, 1_000_000_000)).padStart(9, '0'));
}

export function draftBody(personalCode: string = APPLICANT_CODE): Record<string, unknown> {
  return {
    kind: 'new-user',
    institution: MINISTRY,
    user: { givenName: 'Anna', surname: 'Bērziņa', personalCode, email: 'anna.berzina@ministrija.gov.lv' },
    term: { kind: 'after-last-login', months: 18 },
    justification: "Oversees the subordinate institutions' estimates and prepares the ministry's own.",
  };
}

export const MINISTRY_USER_RIGHTS = {
  rights: [
    { kind: 'resort', resort: MINISTRY, groups: ['VIEW'] },
    { kind: 'institution', institution: MINISTRY, groups: ['MANAGE'] },
  ],
};
