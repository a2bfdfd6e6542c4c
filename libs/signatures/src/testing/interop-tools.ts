/**
 * Signed objects made by independent implementations, for tests: xmlsec1 signs a XAdES template
 * over the served document (zipped here as an ASiC-E container), pdfsig (poppler, with an NSS
 * database made by certutil/pk12util) signs the served PDF. Tests skip with a message when a tool
 * is absent; nothing here is used at run time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { Party } from './test-pki';

export function toolAvailable(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

export const pem = (der: Buffer, label = 'CERTIFICATE'): string => `-----BEGIN ${label}-----\n${der.toString('base64').match(/.{1,64}/g)?.join('\n')}\n-----END ${label}-----\n`;

const b64 = (bytes: Buffer): string => bytes.toString('base64');
const sha256b64 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64');

const NS_DECLARATIONS =
  'xmlns:asic="http://uri.etsi.org/02918/v1.2.1#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"';
const C14N11 = 'http://www.w3.org/2006/12/xml-c14n11';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

export interface XadesTemplateOptions {
  /** Files to reference, by their name in the container. */
  files: string[];
  signer: Party;
  signingTime: Date;
  id?: string;
  /** Exclusive C14N instead of C14N 1.1 (what DSS-based tools use). */
  exclusive?: boolean;
  /** Tamper knobs for hostile variants. */
  omitSignedPropertiesReference?: boolean;
  certificateDigestOf?: Buffer;
  /** Inserted verbatim after the signature's ds:Object. */
  extraObject?: string;
  /** Inserted into SignedInfo as an extra ds:Reference (with an empty DigestValue for xmlsec1 to fill). */
  extraReferenceUri?: string;
  /** Issuing CA certificates carried in ds:KeyInfo after the signer's (a B-level signature has no CertificateValues). */
  chain?: Buffer[];
}

/** A ds:Signature template, as eParakstītājs and DigiDoc write them, for xmlsec1 to fill in. */
export function xadesSignatureTemplate(options: XadesTemplateOptions): string {
  const id = options.id ?? 'S0';
  const c14n = options.exclusive ? EXC_C14N : C14N11;
  const key = options.signer.privateKey.asymmetricKeyType === 'ec' ? 'ecdsa' : 'rsa';
  const hash = key === 'ecdsa' && options.signer.publicKey.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'sha384' : 'sha256';
  const references = options.files
    .map((file, i) => `<ds:Reference Id="${id}-RefId${i}" URI="${encodeURIComponent(file)}"><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue/></ds:Reference>`)
    .join('');
  const propertiesReference = options.omitSignedPropertiesReference
    ? ''
    : `<ds:Reference Id="${id}-RefIdSP" Type="http://uri.etsi.org/01903#SignedProperties" URI="#${id}-SignedProperties"><ds:Transforms><ds:Transform Algorithm="${c14n}"/></ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue/></ds:Reference>`;
  const extraReference = options.extraReferenceUri
    ? `<ds:Reference URI="${options.extraReferenceUri}"><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue/></ds:Reference>`
    : '';
  return (
    `<ds:Signature Id="${id}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${c14n}"/>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#${key}-${hash}"/>${references}${propertiesReference}${extraReference}</ds:SignedInfo>` +
    `<ds:SignatureValue Id="${id}-SIG"/><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${b64(options.signer.der)}</ds:X509Certificate>${(options.chain ?? []).map((der) => `<ds:X509Certificate>${b64(der)}</ds:X509Certificate>`).join('')}</ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><xades:QualifyingProperties Target="#${id}"><xades:SignedProperties Id="${id}-SignedProperties"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${options.signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z')}</xades:SigningTime>` +
    `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${SHA256}"/>` +
    `<ds:DigestValue>${sha256b64(options.certificateDigestOf ?? options.signer.der)}</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2>` +
    `</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object>${options.extraObject ?? ''}</ds:Signature>`
  );
}

export function signaturesFile(signatures: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<asic:XAdESSignatures ${NS_DECLARATIONS}>${signatures.join('')}</asic:XAdESSignatures>`;
}

/**
 * xmlsec1 computes every digest and signature value of the template: the file references over
 * the files written beside it, the SignedProperties over their canonical form. With several
 * ds:Signature elements each is signed by its own party, in turn (`--node-id`).
 */
export function signWithXmlsec1(template: string, files: { name: string; bytes: Buffer }[], signers: { id: string; party: Party }[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-xmlsec-'));
  try {
    for (const file of files) writeFileSync(join(dir, file.name), file.bytes);
    let current = template;
    for (const { id, party } of signers) {
      writeFileSync(join(dir, 'key.pem'), party.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
      writeFileSync(join(dir, 'cert.pem'), pem(party.der));
      writeFileSync(join(dir, 'template.xml'), current);
      execFileSync(
        'xmlsec1',
        ['--sign', '--privkey-pem', 'key.pem,cert.pem', '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', '--id-attr:Id', 'http://www.w3.org/2000/09/xmldsig#:Signature', '--id-attr:Id', 'http://www.w3.org/2000/09/xmldsig#:Object', '--node-id', id, '--output', 'signed.xml', 'template.xml'],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      current = readFileSync(join(dir, 'signed.xml'), 'utf8');
    }
    return Buffer.from(current, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ASICE_MIMETYPE = 'application/vnd.etsi.asic-e+zip';

export function manifestXml(files: { name: string; mediaType: string }[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">' +
    `<manifest:file-entry manifest:full-path="/" manifest:media-type="${ASICE_MIMETYPE}"/>` +
    files.map((file) => `<manifest:file-entry manifest:full-path="${file.name}" manifest:media-type="${file.mediaType}"/>`).join('') +
    '</manifest:manifest>'
  );
}

/** An ASiC-E ZIP with the entries in this order; `mimetype` is stored (level 0) unless told otherwise. */
export function zipEntries(entries: { name: string; bytes: Buffer; store?: boolean }[]): Buffer {
  const input: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const entry of entries) input[entry.name] = [entry.bytes, { level: entry.store ?? entry.name === 'mimetype' ? 0 : 6 }];
  return Buffer.from(zipSync(input, { mtime: new Date('2026-01-01T00:00:00Z') }));
}

export interface EdocOptions {
  chain?: Buffer[];
  /** The PDF's name in the container. */
  pdfName?: string;
  /** Put the canonical JSON beside the PDF, signed too. */
  json?: Buffer;
  signingTime: Date;
  exclusive?: boolean;
}

/** An EDOC as the eParaksts tools make it: mimetype, the document(s), manifest, one XAdES signature by xmlsec1. */
export function edocSignedWithXmlsec1(pdf: Buffer, signer: Party, options: EdocOptions): Buffer {
  const pdfName = options.pdfName ?? 'pieteikums.pdf';
  const files = [{ name: pdfName, bytes: pdf, mediaType: 'application/pdf' }, ...(options.json ? [{ name: 'pieteikums.json', bytes: options.json, mediaType: 'application/json' }] : [])];
  const template = signaturesFile([xadesSignatureTemplate({ files: files.map((f) => f.name), signer, signingTime: options.signingTime, exclusive: options.exclusive, chain: options.chain })]);
  const signatures = signWithXmlsec1(template, files, [{ id: 'S0', party: signer }]);
  return zipEntries([
    { name: 'mimetype', bytes: Buffer.from(ASICE_MIMETYPE) },
    ...files,
    { name: 'META-INF/manifest.xml', bytes: Buffer.from(manifestXml(files)) },
    { name: 'META-INF/signatures0.xml', bytes: signatures },
  ]);
}

/**
 * pdfsig adds a signature to the served PDF as an incremental update, with the key and certificate
 * imported into a fresh NSS database. (poppler 22 writes adbe.pkcs7.detached with CAdES attributes:
 * its -etsi switch does not yet work with -add-signature.)
 */
export function pdfSignedWithPdfsig(pdf: Buffer, signer: Party, chain: Buffer[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-pdfsig-'));
  try {
    writeFileSync(join(dir, 'key.pem'), signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    writeFileSync(join(dir, 'cert.pem'), pem(signer.der));
    writeFileSync(join(dir, 'chain.pem'), chain.map((der) => pem(der)).join(''));
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    run('openssl', ['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-certfile', 'chain.pem', '-name', 'signer', '-passout', 'pass:atlauja', '-out', 'signer.p12']);
    run('mkdir', ['nss']);
    run('certutil', ['-N', '-d', 'sql:nss', '--empty-password']);
    run('pk12util', ['-i', 'signer.p12', '-d', 'sql:nss', '-W', 'atlauja']);
    run('pdfsig', ['-add-signature', '-nssdir', 'sql:nss', '-nick', 'signer', '-digest', 'SHA256', '-reason', 'Parakstu pieteikumu', 'in.pdf', 'out.pdf']);
    return readFileSync(join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TimestampAuthority {
  dir: string;
  certificate: string;
  close(): void;
}

/**
 * A throw-away RFC 3161 authority run by `openssl ts`: self-signed (timeStamping EKU) unless a
 * test PKI party is given to sign with (with the chain to carry in each token).
 */
export function openTimestampAuthority(signer?: Party, chain: Buffer[] = []): TimestampAuthority {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-tsa-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  if (signer) {
    writeFileSync(join(dir, 'tsa.crt'), pem(signer.der));
    writeFileSync(join(dir, 'tsa.key'), signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    writeFileSync(join(dir, 'chain.pem'), chain.map((der) => pem(der)).join(''));
  } else {
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.crt', '-subj', '/C=LV/O=Testa laika zīmogs/CN=Test TSA', '-days', '30', '-addext', 'extendedKeyUsage=critical,timeStamping', '-addext', 'keyUsage=critical,digitalSignature']);
  }
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'ts.cnf'),
    `[tsa]\ndefault_tsa = tsa1\n[tsa1]\ndir = .\nserial = ./serial\ncrypto_device = builtin\nsigner_cert = ./tsa.crt\nsigner_key = ./tsa.key\n${signer && chain.length > 0 ? 'certs = ./chain.pem\n' : ''}signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\ness_cert_id_alg = sha256\ness_cert_id_chain = no\ncert = no\n`,
  );
  return { dir, certificate: join(dir, 'tsa.crt'), close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The token `openssl ts` issues over these bytes (its imprint is their SHA-256). */
export function timestampToken(tsa: TimestampAuthority, covered: Buffer): Buffer {
  writeFileSync(join(tsa.dir, 'covered.bin'), covered);
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: tsa.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run(['ts', '-query', '-data', 'covered.bin', '-sha256', '-cert', '-out', 'request.tsq']);
  run(['ts', '-reply', '-config', 'ts.cnf', '-queryfile', 'request.tsq', '-out', 'response.tsr']);
  run(['ts', '-reply', '-in', 'response.tsr', '-token_out', '-out', 'token.der']);
  return readFileSync(join(tsa.dir, 'token.der'));
}

/** `openssl ts -verify` of a token over the given bytes: true when the imprint and the TSA's signature check out. */
export function timestampVerifies(tsa: TimestampAuthority, token: Buffer, covered: Buffer): boolean {
  writeFileSync(join(tsa.dir, 'check.der'), token);
  writeFileSync(join(tsa.dir, 'check.bin'), covered);
  return spawnSync('openssl', ['ts', '-verify', '-data', 'check.bin', '-in', 'check.der', '-token_in', '-CAfile', 'tsa.crt'], { cwd: tsa.dir }).status === 0;
}

const EXC_C14N_URI = 'http://www.w3.org/2001/10/xml-exc-c14n#';

/**
 * Makes a B-level XAdES signature a T-level one: a SignatureTimeStamp over the exclusive
 * canonical form of ds:SignatureValue, which is written out here by hand (an element with text
 * only: its one visibly used namespace, its Id, its text), independently of the verifier's C14N.
 */
export function addSignatureTimestamp(signatures: Buffer, tsa: TimestampAuthority, id = 'S0'): { xml: Buffer; token: Buffer; covered: Buffer } {
  const text = signatures.toString('utf8');
  const value = new RegExp(`<ds:SignatureValue Id="${id}-SIG">([^<]*)</ds:SignatureValue>`).exec(text)?.[1];
  if (value === undefined) throw new Error(`no ds:SignatureValue of ${id}`);
  const escaped = value.replace(/\r/g, '&#xD;');
  const covered = Buffer.from(`<ds:SignatureValue xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="${id}-SIG">${escaped}</ds:SignatureValue>`, 'utf8');
  const token = timestampToken(tsa, covered);
  const unsigned =
    `<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp Id="${id}-T0">` +
    `<ds:CanonicalizationMethod Algorithm="${EXC_C14N_URI}"/><xades:EncapsulatedTimeStamp>${b64(token)}</xades:EncapsulatedTimeStamp>` +
    '</xades:SignatureTimeStamp></xades:UnsignedSignatureProperties></xades:UnsignedProperties>';
  const at = text.indexOf('</xades:SignedProperties>', text.indexOf(`<ds:Signature Id="${id}"`)) + '</xades:SignedProperties>'.length;
  return { xml: Buffer.from(text.slice(0, at) + unsigned + text.slice(at), 'utf8'), token, covered };
}
