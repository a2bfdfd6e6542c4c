/**
 * Verification throughput of detached CAdES signatures, beside the raw node:crypto rate of the
 * same signer keys. A script, not a test:
 *   npx ts-node -T -r tsconfig-paths/register bench/signatures.bench.ts
 * One full verification = CMS and X.509 parsing + 3 signature checks (the signature and two
 * certificates; the two CRL signatures are verified once per loaded CRL and cached);
 * the raw column is one `crypto.verify` with the signer key.
 */
import { verify } from 'node:crypto';
import { parseSignedData } from '../libs/signatures/src/cms';
import { parseCrl } from '../libs/signatures/src/crl';
import { resolveScheme } from '../libs/signatures/src/algorithms';
import { sampleDocument, signAs, verifyAgainst } from '../libs/signatures/src/testing/scenario';
import { TestChain, testPki } from '../libs/signatures/src/testing/test-pki';

export interface SignatureBenchRow {
  chain: string;
  signerKey: string;
  verificationsPerSecond: number;
  rawVerifiesPerSecond: number;
}

export function runSignatureBench(options: { millisecondsPerCase?: number } = {}): SignatureBenchRow[] {
  const duration = options.millisecondsPerCase ?? 1000;
  const pki = testPki();
  const content = sampleDocument();
  const rows: SignatureBenchRow[] = [];
  for (const [name, chain] of [
    ['RSA-2048 chain (RSA-2048 holder)', pki.rsa],
    ['LV eID 2025 shape (P-521 CAs, P-384 holder)', pki.ec],
  ] as [string, TestChain][]) {
    const signature = signAs(pki, chain);
    if (!verifyAgainst(pki, chain, signature).valid) throw new Error(`${name}: the benchmark signature does not verify`);
    // CRLs parsed once, as loadCrls() gives them to the application.
    const crls = chain.crls.map(parseCrl);
    const full = rate(duration, () => verifyAgainst(pki, chain, signature, { crls }, content));

    const signerInfo = parseSignedData(signature).signerInfos[0];
    const key = chain.holder.certificate.x509.publicKey;
    const resolution = resolveScheme(signerInfo.signatureAlgorithm, key, 'sha256');
    if (!resolution.ok) throw new Error(resolution.reason);
    const signed = signerInfo.signedAttributes?.signedBytes as Buffer;
    const raw = rate(duration, () => verify(resolution.scheme.hash, signed, { key, padding: resolution.scheme.padding }, signerInfo.signature));
    rows.push({
      chain: name,
      signerKey: resolution.scheme.label,
      verificationsPerSecond: Math.round(full),
      rawVerifiesPerSecond: Math.round(raw),
    });
  }
  return rows;
}

/** Operations per second over roughly `duration` ms, after a short warm-up. */
function rate(duration: number, operation: () => unknown): number {
  for (let i = 0; i < 5; i += 1) operation();
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(duration) * 1_000_000n;
  let now = start;
  while (now < end) {
    operation();
    count += 1;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - start) / 1e9);
}

if (require.main === module) {
  const rows = runSignatureBench();
  console.table(
    rows.map((row) => ({
      chain: row.chain,
      'signer key': row.signerKey,
      'full verifications/s': row.verificationsPerSecond,
      'raw crypto.verify/s': row.rawVerifiesPerSecond,
    })),
  );
}
