/**
 * One XAdES signature (ETSI EN 319 132-1, BASELINE B/T/LT/LTA) in an ASiC-E container: the XML-DSig
 * core (references, canonicalized SignedInfo, signature value) and the XAdES profile (signed
 * properties covered, signing certificate bound, signing time). Unsigned properties (timestamps,
 * certificate and revocation values) are collected for the long-term checks, not judged here.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { createHash } from 'node:crypto';
import { HashName, hashLabel, keyStrengthProblem, verifySignature, SignatureScheme } from '../algorithms';
import { readCertificates } from '../cades-signature';
import { Certificate } from '../certificate';
import { ExaminedSignature, noLongTermMaterial } from '../long-term';
import { checkClaimedSigningTime } from '../signed-attributes';
import { CheckList } from '../verdict';
import { canonicalize, DEFAULT_CANONICALIZATION, isCanonicalization } from './c14n';
import { allElements, base64Of, child, childElements, children, descendants, textOf } from './safe-xml';
import { constants } from 'node:crypto';

export const NS = {
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
  xades141: 'http://uri.etsi.org/01903/v1.4.1#',
} as const;

const EXCLUSIVE_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

export const DIGESTS: Record<string, HashName> = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

export const SIGNATURE_METHODS: Record<string, { key: 'rsa' | 'ec'; hash: HashName; pss?: boolean }> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { key: 'rsa', hash: 'sha256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { key: 'rsa', hash: 'sha384' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { key: 'rsa', hash: 'sha512' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { key: 'ec', hash: 'sha256' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { key: 'ec', hash: 'sha384' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { key: 'ec', hash: 'sha512' },
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': { key: 'rsa', hash: 'sha256', pss: true },
  'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1': { key: 'rsa', hash: 'sha384', pss: true },
  'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1': { key: 'rsa', hash: 'sha512', pss: true },
};

export const HASH_BYTES: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

export interface XadesContext {
  /** The data files of the container, by name. */
  files: Map<string, Buffer>;
  /** Every element with an Id in the signature file, by Id (duplicates already refused). */
  ids: Map<string, Element>;
  now: Date;
  skewSeconds: number;
  earliestSigningTime?: Date;
  extraCertificates?: Buffer[];
}

export function examineXadesSignature(checks: CheckList, signature: Element, context: XadesContext): ExaminedSignature {
  const label = signature.getAttribute('Id') || 'ds:Signature';
  const examined: ExaminedSignature = { label, pool: [], longTerm: noLongTermMaterial() };
  const signedInfo = only(checks, signature, NS.ds, 'SignedInfo');
  const signatureValue = only(checks, signature, NS.ds, 'SignatureValue');
  const qualifying = qualifyingProperties(checks, signature, label);
  const signedProperties = qualifying ? signedPropertiesOf(checks, signature, qualifying) : undefined;

  const certificates = [
    ...descendants(signature, NS.ds, 'X509Certificate').filter((element) => isInside(element, child(signature, NS.ds, 'KeyInfo'))),
    ...(qualifying ? descendants(qualifying, NS.xades, 'EncapsulatedX509Certificate') : []),
  ]
    .map((element) => base64Of(element))
    .filter((der): der is Buffer => der !== undefined);
  examined.pool = readCertificates(checks, [...certificates, ...(context.extraCertificates ?? [])]);

  // The signer is an end-entity certificate of ds:KeyInfo; the signed properties must name exactly it.
  const candidates = keyInfoCertificates(signature, examined.pool);
  const signingCertificate = signedProperties ? checkSigningCertificate(checks, signedProperties, candidates) : undefined;
  examined.signer = signingCertificate ?? candidates[0];
  if (examined.signer) checks.pass('MISSING_SIGNER_CERTIFICATE', `signer certificate ${examined.signer.subject.display}, serial ${examined.signer.serialHex}`);
  else checks.fail('MISSING_SIGNER_CERTIFICATE', 'no X509Certificate in ds:KeyInfo');

  if (signedProperties) examined.signedAt = signingTime(checks, signedProperties, context);
  if (signedInfo) checkReferences(checks, signature, signedInfo, signedProperties, context);
  if (signedInfo && signatureValue && examined.signer) checkSignatureValue(checks, signedInfo, signatureValue, examined.signer);
  if (qualifying && signatureValue) collectUnsigned(checks, qualifying, signatureValue, examined);
  if (signatureValue) examined.signatureValue = timestampInput(signatureValue);
  return examined;
}

function only(checks: CheckList, parent: Element, ns: string, name: string): Element | undefined {
  const found = children(parent, ns, name);
  if (found.length === 1) return found[0];
  checks.fail(found.length === 0 ? 'MALFORMED' : 'SIGNATURE_WRAPPING', `ds:Signature has ${found.length} ${name} elements; exactly one is required`);
  return undefined;
}

/** The one xades:QualifyingProperties of this signature, in a ds:Object, targeting it. */
function qualifyingProperties(checks: CheckList, signature: Element, label: string): Element | undefined {
  const all = descendants(signature, NS.xades, 'QualifyingProperties');
  const direct = children(signature, NS.ds, 'Object').flatMap((object) => children(object, NS.xades, 'QualifyingProperties'));
  if (all.length !== 1 || direct.length !== 1) {
    checks.fail(all.length > 1 ? 'SIGNATURE_WRAPPING' : 'MALFORMED', `${all.length} xades:QualifyingProperties (${direct.length} in a ds:Object); exactly one is required`);
    return undefined;
  }
  const target = direct[0].getAttribute('Target');
  if (target !== `#${label}`) {
    checks.fail('MALFORMED', `xades:QualifyingProperties targets ${JSON.stringify(target)}, not this signature (#${label})`);
    return undefined;
  }
  return direct[0];
}

/** Exactly one SignedProperties in the whole signature: a second one is how signature wrapping hides what was signed. */
function signedPropertiesOf(checks: CheckList, signature: Element, qualifying: Element): Element | undefined {
  const all = descendants(signature, NS.xades, 'SignedProperties');
  const own = children(qualifying, NS.xades, 'SignedProperties');
  if (all.length !== 1 || own.length !== 1) {
    checks.fail(all.length > 1 ? 'SIGNATURE_WRAPPING' : 'SIGNED_PROPERTIES_NOT_COVERED', `${all.length} xades:SignedProperties in the signature; exactly one is required`);
    return undefined;
  }
  return own[0];
}

function checkReferences(checks: CheckList, signature: Element, signedInfo: Element, signedProperties: Element | undefined, context: XadesContext): void {
  const references = children(signedInfo, NS.ds, 'Reference');
  const covered = new Set<string>();
  let propertiesCovered = false;
  const mismatched: string[] = [];
  const unresolved: string[] = [];
  for (const reference of references) {
    const uri = reference.getAttribute('URI');
    const digestMethod = child(reference, NS.ds, 'DigestMethod')?.getAttribute('Algorithm') ?? '';
    const hash = DIGESTS[digestMethod];
    const expected = base64Of(child(reference, NS.ds, 'DigestValue'));
    if (!hash) {
      checks.fail('ALGORITHM_UNSUPPORTED', `reference ${JSON.stringify(uri)} uses digest ${digestMethod || '(none)'}; SHA-256/384/512 are accepted`);
      continue;
    }
    if (uri === null || !expected) {
      unresolved.push(`a reference without ${uri === null ? 'URI' : 'a base64 DigestValue'}`);
      continue;
    }
    const transforms = children(child(reference, NS.ds, 'Transforms') ?? reference, NS.ds, 'Transform');
    if (uri.startsWith('#')) {
      const target = context.ids.get(uri.slice(1));
      // Same-document references may point at this signature's SignedProperties (or its KeyInfo), nothing outside it.
      const allowed = target && (target === signedProperties || (target === child(signature, NS.ds, 'KeyInfo')));
      if (!target || !allowed || !isInside(target, signature)) {
        unresolved.push(`${uri} ${target ? 'resolves outside this signature’s SignedProperties and KeyInfo' : 'names no element'}`);
        continue;
      }
      const methods = transforms.map((transform) => transform.getAttribute('Algorithm') ?? '');
      if (methods.length > 1 || methods.some((method) => !isCanonicalization(method))) {
        checks.fail('ALGORITHM_UNSUPPORTED', `reference ${uri} uses transforms ${methods.join(', ')}; one canonicalization is accepted`);
        continue;
      }
      let actual: Buffer;
      try {
        actual = digest(hash, canonicalize(target, methods[0] ?? DEFAULT_CANONICALIZATION, transforms[0]));
      } catch (error) {
        checks.fail('ALGORITHM_UNSUPPORTED', `reference ${uri}: ${(error as Error).message}`);
        continue;
      }
      if (!actual.equals(expected)) mismatched.push(`${uri} (${hashLabel(hash)} of the canonicalized element differs)`);
      else if (target === signedProperties) {
        if (reference.getAttribute('Type') === SIGNED_PROPERTIES_TYPE) propertiesCovered = true;
        else unresolved.push(`${uri} covers the SignedProperties without Type="${SIGNED_PROPERTIES_TYPE}"`);
      }
      continue;
    }
    if (transforms.length > 0) {
      checks.fail('ALGORITHM_UNSUPPORTED', `reference ${JSON.stringify(uri)} transforms a data file; data files are signed as they are`);
      continue;
    }
    const name = fileName(uri);
    const bytes = name === undefined ? undefined : context.files.get(name);
    if (name === undefined || !bytes) {
      unresolved.push(`${JSON.stringify(uri)} names no data file in the container`);
      continue;
    }
    covered.add(name);
    if (!digest(hash, bytes).equals(expected)) mismatched.push(`${name} (its ${hashLabel(hash)} is not the one signed)`);
  }
  if (references.length === 0) unresolved.push('ds:SignedInfo has no ds:Reference');
  if (unresolved.length > 0) checks.fail('REFERENCE_UNRESOLVED', unresolved.join('; '));
  else checks.pass('REFERENCE_UNRESOLVED', `${references.length} reference(s) resolve to the container's data files and this signature's properties`);
  if (mismatched.length > 0) checks.fail('REFERENCE_MISMATCH', `the bytes differ from what was signed: ${mismatched.join('; ')}`);
  else checks.pass('REFERENCE_MISMATCH', 'every reference digest matches the bytes in the container');
  const unsigned = [...context.files.keys()].filter((name) => !covered.has(name));
  if (unsigned.length > 0) checks.fail('FILE_NOT_SIGNED', `the signature does not cover ${unsigned.map((n) => JSON.stringify(n)).join(', ')}`);
  else checks.pass('FILE_NOT_SIGNED', `the signature covers every data file (${covered.size})`);
  if (signedProperties) {
    if (propertiesCovered) checks.pass('SIGNED_PROPERTIES_NOT_COVERED', 'the SignedProperties (signing certificate, time) are signed');
    else checks.fail('SIGNED_PROPERTIES_NOT_COVERED', 'no reference of Type SignedProperties covers this signature’s SignedProperties with a matching digest');
  }
}

/** A relative URI naming a file in the container (percent-encoded as RFC 3986 asks); undefined for anything else. */
function fileName(uri: string): string | undefined {
  if (uri === '' || uri.includes('#') || uri.includes('?') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri) || uri.startsWith('/')) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(uri);
  } catch {
    return undefined;
  }
  return name.startsWith('./') ? name.slice(2) : name;
}

function checkSignatureValue(checks: CheckList, signedInfo: Element, signatureValue: Element, signer: Certificate): void {
  const canonicalization = child(signedInfo, NS.ds, 'CanonicalizationMethod');
  const methodUri = child(signedInfo, NS.ds, 'SignatureMethod')?.getAttribute('Algorithm') ?? '';
  const method = SIGNATURE_METHODS[methodUri];
  const value = base64Of(signatureValue);
  if (!method) return checks.fail('ALGORITHM_UNSUPPORTED', `signature method ${methodUri || '(none)'} is not accepted`);
  if (!value) return checks.fail('MALFORMED', 'ds:SignatureValue is not base64');
  let signed: Buffer;
  try {
    signed = canonicalize(signedInfo, canonicalization?.getAttribute('Algorithm') ?? '', canonicalization);
  } catch (error) {
    return checks.fail('ALGORITHM_UNSUPPORTED', `ds:SignedInfo: ${(error as Error).message}`);
  }
  const key = signer.x509.publicKey;
  const keyType = key.asymmetricKeyType === 'rsa-pss' ? 'rsa' : key.asymmetricKeyType;
  if (keyType !== method.key) return checks.fail('ALGORITHM_UNSUPPORTED', `signature method ${methodUri} with a ${key.asymmetricKeyType} key`);
  const scheme: SignatureScheme =
    method.key === 'ec'
      ? { hash: method.hash, label: `ECDSA ${key.asymmetricKeyDetails?.namedCurve} with ${hashLabel(method.hash)}`, dsaEncoding: 'ieee-p1363' }
      : method.pss
        ? { hash: method.hash, label: `RSA-PSS with ${hashLabel(method.hash)}`, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[method.hash] }
        : { hash: method.hash, label: `RSA PKCS#1 v1.5 with ${hashLabel(method.hash)}`, padding: constants.RSA_PKCS1_PADDING };
  // A weak key is refused, and the signature value is still computed: the one does not hide the other.
  const weak = keyStrengthProblem(key);
  if (weak) checks.fail('ALGORITHM_UNSUPPORTED', weak);
  else checks.pass('ALGORITHM_UNSUPPORTED', scheme.label);
  if (verifySignature(signed, value, key, scheme)) checks.pass('SIGNATURE_INVALID', `${scheme.label} signature over the canonicalized SignedInfo verifies`);
  else checks.fail('SIGNATURE_INVALID', "the signature value does not verify over the canonicalized SignedInfo with the signer certificate's key");
}

/**
 * xades:SigningCertificateV2 (or v1): the digest of the signer's certificate inside the signed
 * properties, so the certificate in ds:KeyInfo cannot be swapped for another with the same key.
 */
function checkSigningCertificate(checks: CheckList, signedProperties: Element, candidates: Certificate[]): Certificate | undefined {
  const properties = child(signedProperties, NS.xades, 'SignedSignatureProperties');
  const element = child(properties, NS.xades, 'SigningCertificateV2') ?? child(properties, NS.xades, 'SigningCertificate');
  if (!element) {
    checks.fail('MISSING_SIGNING_CERTIFICATE', 'the SignedProperties have no xades:SigningCertificateV2 (nor SigningCertificate)');
    return undefined;
  }
  checks.pass('MISSING_SIGNING_CERTIFICATE', `xades:${element.localName} present`);
  const first = children(element, NS.xades, 'Cert')[0];
  const certDigest = child(first, NS.xades, 'CertDigest');
  const algorithm = child(certDigest, NS.ds, 'DigestMethod')?.getAttribute('Algorithm') ?? '';
  const hash = DIGESTS[algorithm];
  const value = base64Of(child(certDigest, NS.ds, 'DigestValue'));
  if (!hash || !value) {
    checks.fail('SIGNING_CERTIFICATE_MISMATCH', `xades:CertDigest ${hash ? 'has no base64 value' : `uses digest ${algorithm || '(none)'}`}`);
    return undefined;
  }
  const signer = candidates.find((certificate) => digest(hash, certificate.der).equals(value));
  if (!signer) {
    checks.fail('SIGNING_CERTIFICATE_MISMATCH', "the signed certificate digest is not the digest of the signer's certificate in ds:KeyInfo");
    return undefined;
  }
  const serialProblem = issuerSerialProblem(first, signer);
  if (serialProblem) checks.fail('SIGNING_CERTIFICATE_MISMATCH', serialProblem);
  else checks.pass('SIGNING_CERTIFICATE_MISMATCH', 'the signed certificate digest matches the signer certificate');
  return signer;
}

function issuerSerialProblem(cert: Element | undefined, signer: Certificate): string | undefined {
  const v1 = child(cert, NS.xades, 'IssuerSerial');
  if (v1) {
    const serial = textOf(child(v1, NS.ds, 'X509SerialNumber')).trim();
    if (!/^\d+$/.test(serial) || BigInt(serial) !== BigInt(`0x${signer.serialHex || '0'}`)) return 'xades:IssuerSerial names another serial number';
  }
  const v2 = base64Of(child(cert, NS.xades, 'IssuerSerialV2'));
  // IssuerSerial DER (RFC 5035): the serial INTEGER is its last element; compare its content octets.
  if (v2 && !v2.subarray(v2.length - signer.serial.length).equals(signer.serial)) return 'xades:IssuerSerialV2 names another serial number';
  return undefined;
}

/** The end-entity certificates in ds:KeyInfo, in order (CA certificates there are the chain). */
function keyInfoCertificates(signature: Element, pool: Certificate[]): Certificate[] {
  const keyInfo = child(signature, NS.ds, 'KeyInfo');
  if (!keyInfo) return [];
  return descendants(keyInfo, NS.ds, 'X509Certificate')
    .map((element) => base64Of(element))
    .map((der) => (der ? pool.find((certificate) => certificate.der.equals(der)) : undefined))
    .filter((certificate): certificate is Certificate => certificate !== undefined && !certificate.extensions.basicConstraints?.ca);
}

function signingTime(checks: CheckList, signedProperties: Element, context: XadesContext): Date | undefined {
  const text = textOf(child(child(signedProperties, NS.xades, 'SignedSignatureProperties'), NS.xades, 'SigningTime')).trim();
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    checks.fail('SIGNING_TIME_INVALID', text ? 'xades:SigningTime is not an xsd:dateTime with a zone' : 'the SignedProperties have no xades:SigningTime');
    return undefined;
  }
  return checkClaimedSigningTime(checks, at, context.now, context.skewSeconds, context.earliestSigningTime);
}

/** Level T, LT, LTA material, kept as found for the timestamp and revocation checks. */
function collectUnsigned(checks: CheckList, qualifying: Element, signatureValue: Element, examined: ExaminedSignature): void {
  const unsigned = child(child(qualifying, NS.xades, 'UnsignedProperties'), NS.xades, 'UnsignedSignatureProperties');
  if (!unsigned) return;
  const material = examined.longTerm;
  for (const element of childElements(unsigned)) {
    const tokens = children(element, NS.xades, 'EncapsulatedTimeStamp').map((e) => base64Of(e)).filter((b): b is Buffer => b !== undefined);
    if (element.localName === 'SignatureTimeStamp' && element.namespaceURI === NS.xades) {
      const method = child(element, NS.ds, 'CanonicalizationMethod');
      let covered: Buffer | undefined;
      try {
        covered = canonicalize(signatureValue, method?.getAttribute('Algorithm') ?? DEFAULT_CANONICALIZATION, method);
      } catch (error) {
        checks.fail('ALGORITHM_UNSUPPORTED', `xades:SignatureTimeStamp: ${(error as Error).message}`);
      }
      for (const token of tokens) material.timestamps.push({ kind: 'signature', token, covered });
    } else if (element.localName === 'ArchiveTimeStamp') {
      for (const token of tokens) material.timestamps.push({ kind: 'archive', token });
    } else if (element.localName === 'CertificateValues') {
      material.certificates.push(...children(element, NS.xades, 'EncapsulatedX509Certificate').map((e) => base64Of(e)).filter((b): b is Buffer => b !== undefined));
    } else if (element.localName === 'RevocationValues') {
      material.crls.push(...descendants(element, NS.xades, 'EncapsulatedCRLValue').map((e) => base64Of(e)).filter((b): b is Buffer => b !== undefined));
      material.ocspResponses.push(...descendants(element, NS.xades, 'EncapsulatedOCSPValue').map((e) => base64Of(e)).filter((b): b is Buffer => b !== undefined));
    }
  }
}

/** What a signature timestamp made by the service covers: ds:SignatureValue in exclusive C14N, as XAdES tools stamp it. */
function timestampInput(signatureValue: Element): Buffer | undefined {
  try {
    return canonicalize(signatureValue, EXCLUSIVE_C14N);
  } catch {
    return undefined;
  }
}

function isInside(element: Element | undefined, ancestor: Element | undefined): boolean {
  for (let node: Node | null | undefined = element; node; node = node.parentNode) if (node === ancestor) return true;
  return false;
}

function digest(hash: HashName, bytes: Buffer): Buffer {
  return createHash(hash).update(bytes).digest();
}

/** Every Id in the document; a value used twice is refused, since a reference to it is ambiguous. */
export function idsOf(root: Element): { ids: Map<string, Element>; duplicates: string[] } {
  const ids = new Map<string, Element>();
  const duplicates: string[] = [];
  for (const element of allElements(root)) {
    for (const name of ['Id', 'ID', 'id']) {
      const value = element.getAttribute(name);
      if (!value) continue;
      if (ids.has(value) && ids.get(value) !== element) duplicates.push(value);
      else ids.set(value, element);
    }
  }
  return { ids, duplicates };
}
