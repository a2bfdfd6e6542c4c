/**
 * The enveloped XML signature of a trusted list (ETSI TS 119 612 clause 5.7): one ds:Signature,
 * a child of the list's root, whose references cover the whole list (URI "" or "#<root Id>",
 * enveloped-signature then at most one canonicalization) and its own XAdES signed properties, and
 * whose value verifies with the key of one of the configured signer certificates. The certificate
 * the list carries in ds:KeyInfo is never trusted by itself: only the configured ones are.
 */
import type { Element } from '@xmldom/xmldom';
import { constants, createHash } from 'node:crypto';
import { hashLabel, keyStrengthProblem, SignatureScheme, verifySignature } from '../algorithms';
import { Certificate } from '../certificate';
import { canonicalize, DEFAULT_CANONICALIZATION, isCanonicalization } from '../xades/c14n';
import { base64Of, child, children, descendants, parseXml } from '../xades/safe-xml';
import { DIGESTS, HASH_BYTES, idsOf, NS, SIGNATURE_METHODS } from '../xades/xades-signature';

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export interface ListSignature {
  /** The configured certificate whose key verified the signature. */
  signer: Certificate;
  /** e.g. "RSA PKCS#1 v1.5 with SHA-256". */
  algorithm: string;
}

/** Why a list's signature is refused; the message names the first problem found. */
export class ListSignatureProblem extends Error {}

/** Checks the list's signature; returns the configured signer that verified it, or throws ListSignatureProblem. */
export function verifyListSignature(xml: Buffer, signers: readonly Certificate[]): ListSignature {
  const document = parseXml(xml, 'the trusted list');
  const root = document.documentElement as unknown as Element;
  const signatures = descendants(root, NS.ds, 'Signature');
  const own = children(root, NS.ds, 'Signature');
  if (signatures.length !== 1 || own.length !== 1) {
    throw new ListSignatureProblem(`the list has ${signatures.length} ds:Signature elements (${own.length} under its root); exactly one, a child of the root, is required`);
  }
  const signature = own[0];
  const signedInfo = single(signature, 'SignedInfo');
  const signatureValue = single(signature, 'SignatureValue');
  const { ids, duplicates } = idsOf(root);
  if (duplicates.length > 0) throw new ListSignatureProblem(`the Id ${JSON.stringify(duplicates[0])} is used twice`);

  let coversList = false;
  const references = children(signedInfo, NS.ds, 'Reference');
  for (const reference of references) {
    const uri = reference.getAttribute('URI');
    const hash = DIGESTS[child(reference, NS.ds, 'DigestMethod')?.getAttribute('Algorithm') ?? ''];
    const expected = base64Of(child(reference, NS.ds, 'DigestValue'));
    if (!hash || !expected) throw new ListSignatureProblem(`reference ${JSON.stringify(uri)}: digest method not SHA-256/384/512, or no base64 digest value`);
    const target = uri === '' ? root : uri?.startsWith('#') ? ids.get(uri.slice(1)) : undefined;
    if (!target) throw new ListSignatureProblem(`reference ${JSON.stringify(uri)} names nothing in the list`);
    const transforms = children(child(reference, NS.ds, 'Transforms') ?? reference, NS.ds, 'Transform');
    const methods = transforms.map((transform) => transform.getAttribute('Algorithm') ?? '');
    const enveloped = methods[0] === ENVELOPED;
    const rest = enveloped ? transforms.slice(1) : transforms;
    if (rest.length > 1 || rest.some((transform) => !isCanonicalization(transform.getAttribute('Algorithm') ?? ''))) {
      throw new ListSignatureProblem(`reference ${JSON.stringify(uri)} uses transforms ${methods.join(', ')}; enveloped-signature and one canonicalization are accepted`);
    }
    const c14n = rest[0]?.getAttribute('Algorithm') ?? DEFAULT_CANONICALIZATION;
    let bytes: Buffer;
    if (target === root) {
      if (!enveloped) throw new ListSignatureProblem(`reference ${JSON.stringify(uri)} covers the list without the enveloped-signature transform`);
      bytes = canonicalizeWithout(xml, c14n, rest[0] !== undefined);
      coversList = true;
    } else if (isInside(target, signature)) {
      // The XAdES signed properties of the list's signature.
      bytes = canonicalize(target, c14n, rest[0]);
    } else {
      throw new ListSignatureProblem(`reference ${JSON.stringify(uri)} covers a part of the list, not all of it`);
    }
    if (!createHash(hash).update(bytes).digest().equals(expected)) {
      throw new ListSignatureProblem(`reference ${JSON.stringify(uri)}: the ${hashLabel(hash)} digest differs: the list was changed after it was signed`);
    }
  }
  if (!coversList) throw new ListSignatureProblem('no reference covers the whole list');

  const canonicalization = child(signedInfo, NS.ds, 'CanonicalizationMethod');
  const methodUri = child(signedInfo, NS.ds, 'SignatureMethod')?.getAttribute('Algorithm') ?? '';
  const method = SIGNATURE_METHODS[methodUri];
  const value = base64Of(signatureValue);
  if (!method) throw new ListSignatureProblem(`signature method ${methodUri || '(none)'} is not accepted`);
  if (!value) throw new ListSignatureProblem('ds:SignatureValue is not base64');
  const signed = canonicalize(signedInfo, canonicalization?.getAttribute('Algorithm') ?? '', canonicalization);
  for (const signer of signers) {
    const key = signer.x509.publicKey;
    const keyType = key.asymmetricKeyType === 'rsa-pss' ? 'rsa' : key.asymmetricKeyType;
    if (keyType !== method.key || keyStrengthProblem(key)) continue;
    const scheme: SignatureScheme =
      method.key === 'ec'
        ? { hash: method.hash, label: `ECDSA with ${hashLabel(method.hash)}`, dsaEncoding: 'ieee-p1363' }
        : method.pss
          ? { hash: method.hash, label: `RSA-PSS with ${hashLabel(method.hash)}`, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[method.hash] }
          : { hash: method.hash, label: `RSA PKCS#1 v1.5 with ${hashLabel(method.hash)}`, padding: constants.RSA_PKCS1_PADDING };
    if (verifySignature(signed, value, key, scheme)) return { signer, algorithm: scheme.label };
  }
  throw new ListSignatureProblem(
    signers.length === 0 ? 'no signer certificate is configured for this list' : `the signature verifies with none of the ${signers.length} configured signer certificate(s)`,
  );
}

function single(parent: Element, name: string): Element {
  const found = children(parent, NS.ds, name);
  if (found.length !== 1) throw new ListSignatureProblem(`ds:Signature has ${found.length} ds:${name} elements; exactly one is required`);
  return found[0];
}

/**
 * The list as the enveloped-signature transform leaves it: a fresh parse of the same bytes with
 * its ds:Signature removed, so the document the caller reads is never changed.
 */
function canonicalizeWithout(xml: Buffer, algorithm: string, explicit: boolean): Buffer {
  const copy = parseXml(xml, 'the trusted list').documentElement as unknown as Element;
  const signature = children(copy, NS.ds, 'Signature')[0];
  copy.removeChild(signature);
  // A whole-document reference without an explicit canonicalization is C14N 1.0 without comments.
  return canonicalize(copy, explicit ? algorithm : DEFAULT_CANONICALIZATION);
}

function isInside(element: Element, ancestor: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentNode as Element | null) if (node === ancestor) return true;
  return false;
}
