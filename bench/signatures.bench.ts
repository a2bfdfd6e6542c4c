/**
 * Verification throughput of detached CAdES signatures, beside the raw node:crypto rate of the
 * same signer keys; then the three formats (CAdES, XAdES in an EDOC, PAdES) with the cost of each
 * library step. A script, not a test:
 *   npx ts-node -T -r tsconfig-paths/register bench/signatures.bench.ts
 * One full verification = CMS and X.509 parsing + 3 signature checks (the signature and two
 * certificates; the two CRL signatures are verified once per loaded CRL and cached);
 * the raw column is one `crypto.verify` with the signer key.
 */
import { constants, createHash, verify } from 'node:crypto';
import { SignedDocuments } from '../libs/signatures/src/documents';
import { verifySignature } from '../libs/signatures/src/verify';
import { readSection } from '../libs/signatures/src/pades/pdf-objects';
import { derOf } from '../libs/signatures/src/pades/pades-signature';
import { canonicalize } from '../libs/signatures/src/xades/c14n';
import { parseXml } from '../libs/signatures/src/xades/safe-xml';
import { NS } from '../libs/signatures/src/xades/xades-signature';
import { readContainer } from '../libs/signatures/src/xades/zip-container';
import { edocSignedWithXmlsec1, pdfSignedWithPdfsig, toolAvailable } from '../libs/signatures/src/testing/interop-tools';
import { parseSignedData } from '../libs/signatures/src/cms';
import { parseCrl } from '../libs/signatures/src/crl';
import { resolveScheme } from '../libs/signatures/src/algorithms';
import { sampleDocument, servedSubmission, signAs, verifyAgainst } from '../libs/signatures/src/testing/scenario';
import { TestChain, testPki } from '../libs/signatures/src/testing/test-pki';
import { acceptancePolicyCheck } from '../libs/signatures/src/acceptance-policy';
import { LongTermCheck } from '../libs/signatures/src/long-term';
import { parseOcspResponse } from '../libs/signatures/src/ocsp';
import { cmsSignatureValue, opensslOcspResponse, withCmsOcspResponses, withSignatureTimestamp } from '../libs/signatures/src/testing/long-term-material';
import { issueTimestampToken } from '../libs/signatures/src/testing/timestamp-authority';

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


export interface SignatureFormatBenchRow {
  format: string;
  producer: string;
  signedBytes: number;
  verificationsPerSecond: number;
  /** One crypto.verify of the signature with the signer key, plus the two certificate signatures of the chain. */
  rawChainVerifiesPerSecond: number;
  /** Milliseconds per verification spent in each library step (measured alone). */
  stepsMs: Record<string, number>;
}

/**
 * The three accepted formats, made by independent producers over the same served PDF (or its
 * JSON), each verified end to end, beside the raw crypto of the same RSA chain, and the cost of
 * each library step alone: fflate (ZIP), @xmldom/xmldom (XML), xml-crypto (C14N), the PDF object
 * reader, the CMS codec.
 */
export async function runSignatureFormatBench(options: { millisecondsPerCase?: number } = {}): Promise<SignatureFormatBenchRow[]> {
  const duration = options.millisecondsPerCase ?? 1000;
  const pki = testPki();
  const chain = pki.rsa;
  const served = await servedSubmission();
  const crls = chain.crls.map(parseCrl);
  const verifyOptions = { trustAnchors: [chain.anchor], crls, now: new Date(Date.now() + 60_000), expectedPersonalCode: chain.personalCode };
  const holderKey = chain.holder.certificate.x509.publicKey;
  const icaKey = chain.ica.certificate.x509.publicKey;
  const rawChain = (signed: Buffer, signature: Buffer, scheme: { hash: string; padding?: number }) =>
    rate(duration, () => {
      verify(scheme.hash, signed, { key: holderKey, padding: scheme.padding }, signature);
      chain.holder.certificate.x509.verify(icaKey);
      chain.ica.certificate.x509.verify(chain.root.certificate.x509.publicKey);
    });
  const rows: SignatureFormatBenchRow[] = [];
  const check = (name: string, signed: Buffer, documents: SignedDocuments) => {
    const verdict = verifySignature(signed, documents, verifyOptions);
    if (!verdict.valid) throw new Error(`${name}: the benchmark signature does not verify (${verdict.failures.join(', ')})`);
  };
  const perCall = (operation: () => unknown) => round(1000 / rate(Math.min(duration, 500), operation));

  // CAdES: our signer over the canonical JSON (openssl cms is tested to be equivalent).
  const p7s = signAs(pki, chain, chain.holder, { signingTime: new Date(Date.now() - 60_000) }, served.json);
  check('CAdES', p7s, served.documents);
  const signerInfo = parseSignedData(p7s).signerInfos[0];
  rows.push({
    format: 'CAdES (.p7s over the JSON)',
    producer: 'signDetachedCades',
    signedBytes: p7s.length,
    verificationsPerSecond: Math.round(rate(duration, () => verifySignature(p7s, served.documents, verifyOptions))),
    rawChainVerifiesPerSecond: Math.round(rawChain(signerInfo.signedAttributes!.signedBytes, signerInfo.signature, { hash: 'sha256', padding: constants.RSA_PKCS1_PADDING })),
    stepsMs: { 'CMS codec (node-forge ASN.1)': perCall(() => parseSignedData(p7s)) },
  });

  if (toolAvailable('xmlsec1')) {
    const edoc = edocSignedWithXmlsec1(served.pdf, chain.holder, { chain: [chain.ica.der], signingTime: new Date(Date.now() - 60_000) });
    check('EDOC', edoc, served.documents);
    const entries = readContainer(edoc);
    const xml = entries.find((e) => e.name === 'META-INF/signatures0.xml')!.bytes;
    const root = parseXml(xml, 'signatures0.xml').documentElement!;
    const signedInfo = root.getElementsByTagNameNS(NS.ds, 'SignedInfo')[0];
    const signedProperties = root.getElementsByTagNameNS(NS.xades, 'SignedProperties')[0];
    const value = Buffer.from((root.getElementsByTagNameNS(NS.ds, 'SignatureValue')[0].textContent ?? '').replace(/\s+/g, ''), 'base64');
    const c14n = 'http://www.w3.org/2006/12/xml-c14n11';
    rows.push({
      format: 'XAdES B in an EDOC (ASiC-E)',
      producer: 'xmlsec1',
      signedBytes: edoc.length,
      verificationsPerSecond: Math.round(rate(duration, () => verifySignature(edoc, served.documents, verifyOptions))),
      rawChainVerifiesPerSecond: Math.round(rawChain(canonicalize(signedInfo, c14n), value, { hash: 'sha256', padding: constants.RSA_PKCS1_PADDING })),
      stepsMs: {
        'fflate (ZIP read, inflate)': perCall(() => readContainer(edoc)),
        '@xmldom/xmldom (parse)': perCall(() => parseXml(xml, 'signatures0.xml')),
        'xml-crypto (C14N of SignedInfo + SignedProperties)': perCall(() => {
          canonicalize(signedInfo, c14n);
          canonicalize(signedProperties, c14n);
        }),
        'SHA-256 of the PDF': perCall(() => createHash('sha256').update(served.pdf).digest()),
      },
    });
  }

  if (['pdfsig', 'certutil', 'pk12util', 'openssl'].every(toolAvailable)) {
    const pdf = pdfSignedWithPdfsig(served.pdf, chain.holder, [chain.ica.der]);
    check('PAdES', pdf, served.documents);
    const text = pdf.toString('latin1');
    const contents = Buffer.from(/\/Contents <([0-9a-fA-F]+)>/.exec(text.slice(served.pdf.length))![1], 'hex');
    const der = derOf(contents);
    const info = parseSignedData(der).signerInfos[0];
    rows.push({
      format: 'PAdES (the served PDF signed in place)',
      producer: 'pdfsig (poppler, NSS)',
      signedBytes: pdf.length,
      verificationsPerSecond: Math.round(rate(duration, () => verifySignature(pdf, served.documents, verifyOptions))),
      rawChainVerifiesPerSecond: Math.round(rawChain(info.signedAttributes!.signedBytes, info.signature, { hash: 'sha256', padding: constants.RSA_PKCS1_PADDING })),
      stepsMs: {
        'PDF object reader (served PDF + update)': perCall(() => {
          readSection(pdf, 0, served.pdf.length);
          readSection(pdf, served.pdf.length);
        }),
        'SHA-256 of the ByteRange': perCall(() => createHash('sha256').update(pdf).digest()),
        'CMS codec (node-forge ASN.1)': perCall(() => parseSignedData(der)),
      },
    });
  }
  return rows;
}

export interface LongTermBenchRow {
  level: string;
  verificationsPerSecond: number;
  /** Raw node:crypto verifies of what the level adds to check: the signature, the TSA's, the OCSP responder's. */
  rawVerifiesPerSecond: number;
}

/**
 * CAdES over the canonical JSON by the RSA chain under the acceptance policy: B (basic), T (a
 * signatureTimeStampToken, latvian), LT (T and an `openssl ocsp` response in the CMS, when openssl is
 * here), beside the raw crypto.verify of every signature the level's checks verify.
 */
export function runLongTermSignatureBench(options: { millisecondsPerCase?: number } = {}): LongTermBenchRow[] {
  const duration = options.millisecondsPerCase ?? 1000;
  const pki = testPki();
  const chain = pki.rsa;
  const content = sampleDocument();
  const crls = chain.crls.map(parseCrl);
  const basic = acceptancePolicyCheck({ name: 'basic', tsaAnchors: [chain.anchor] });
  const latvian = acceptancePolicyCheck({ name: 'latvian', tsaAnchors: [chain.anchor] });
  const b = signAs(pki, chain);
  const t = withSignatureTimestamp(b, issueTimestampToken(pki.tsa, cmsSignatureValue(b), { genTime: () => new Date(pki.now.getTime() - 30_000) }));
  const cases: { level: string; signature: Buffer; longTerm: LongTermCheck; now?: Date }[] = [
    { level: 'B (basic policy)', signature: b, longTerm: basic },
    { level: 'T (latvian: timestamp checked)', signature: t, longTerm: latvian },
  ];
  let ocsp: Buffer | undefined;
  if (toolAvailable('openssl')) {
    ocsp = opensslOcspResponse({ certificate: chain.holder, issuer: chain.ica, responder: chain.ocspResponder, status: 'good' });
    cases.push({ level: 'LT (latvian: timestamp and OCSP checked)', signature: withCmsOcspResponses(t, [ocsp]), longTerm: latvian, now: new Date(Date.now() + 5_000) });
  }
  const signerInfo = parseSignedData(b).signerInfos[0];
  const signed = signerInfo.signedAttributes!.signedBytes;
  const holderKey = chain.holder.certificate.x509.publicKey;
  const token = parseSignedData(t).signerInfos[0].unsignedAttributes[0].values[0];
  const tsaInfo = parseSignedData(token).signerInfos[0];
  const tsaKey = pki.tsa.certificate.x509.publicKey;
  const ocspResponse = ocsp ? parseOcspResponse(ocsp) : undefined;
  const responderKey = chain.ocspResponder.certificate.x509.publicKey;
  const pkcs1 = { padding: constants.RSA_PKCS1_PADDING };
  return cases.map(({ level, signature, longTerm, now }) => {
    const verdict = verifyAgainst(pki, chain, signature, { crls, longTerm, ...(now && { now }) }, content);
    if (!verdict.valid) throw new Error(`${level}: the benchmark signature does not verify (${verdict.failures.join(', ')})`);
    const raw = rate(duration, () => {
      verify('sha256', signed, { key: holderKey, ...pkcs1 }, signerInfo.signature);
      if (level.startsWith('B')) return;
      if (!level.startsWith('LT')) return void verify('sha256', tsaInfo.signedAttributes!.signedBytes, { key: tsaKey, ...pkcs1 }, tsaInfo.signature);
      verify('sha256', tsaInfo.signedAttributes!.signedBytes, { key: tsaKey, ...pkcs1 }, tsaInfo.signature);
      if (ocspResponse) verify('sha256', ocspResponse.tbs, { key: responderKey, ...pkcs1 }, ocspResponse.signature);
    });
    return {
      level,
      verificationsPerSecond: Math.round(rate(duration, () => verifyAgainst(pki, chain, signature, { crls, longTerm, ...(now && { now }) }, content))),
      rawVerifiesPerSecond: Math.round(raw),
    };
  });
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

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
  void runSignatureFormatBench().then((formats) => {
    console.table(formats.map(({ stepsMs: _steps, ...row }) => ({ ...row, ratio: round(row.verificationsPerSecond / row.rawChainVerifiesPerSecond) })));
    for (const row of formats) console.table(Object.entries(row.stepsMs).map(([step, ms]) => ({ format: row.format, step, 'ms per verification': ms })));
  });
}
