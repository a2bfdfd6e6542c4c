/** CMS SignedData (RFC 5652) read into plain parts; no verification happens here. */
import forge from 'node-forge';
import {
  Asn1Error,
  Asn1Node,
  SequenceReader,
  Tag,
  childrenOf,
  contentBytes,
  integerBytesOf,
  isContext,
  isUniversal,
  octetsOf,
  oidOf,
  parseDer,
  sequenceOf,
  setOf,
  smallIntegerOf,
  toDer,
} from './asn1';
import { AlgorithmIdentifier, parseAlgorithmIdentifier } from './algorithms';
import { DistinguishedName, parseName } from './names';
import { OID } from './oids';

export type SignerIdentifier =
  | { kind: 'issuerAndSerialNumber'; issuer: DistinguishedName; serial: Buffer }
  | { kind: 'subjectKeyIdentifier'; keyId: Buffer };

export interface Attribute {
  oid: string;
  values: Asn1Node[];
}

export interface SignerInfo {
  version: number;
  sid: SignerIdentifier;
  digestAlgorithm: AlgorithmIdentifier;
  /** Absent when the signer signed the content directly (not CAdES). */
  signedAttributes?: {
    attributes: Attribute[];
    /** The DER SET OF the attributes: the bytes the signature covers (RFC 5652 §5.4). */
    signedBytes: Buffer;
  };
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Buffer;
  /** Unsigned attributes (timestamps, archive material), each value as DER. */
  unsignedAttributes: { oid: string; values: Buffer[] }[];
}

export interface SignedData {
  encapsulatedContentType: string;
  /** Present for an attached signature. */
  encapsulatedContent?: Buffer;
  /** DER of each X.509 certificate carried in `certificates` (other choices are skipped). */
  certificates: Buffer[];
  /** DER of each CRL carried in `crls` (revocation values of a long-term signature). */
  crls: Buffer[];
  /** DER OCSPResponses carried in `crls` as other revocation info (RFC 5940 id-ri-ocsp-response): CAdES-LT. */
  ocspResponses: Buffer[];
  signerInfos: SignerInfo[];
}

export function parseSignedData(der: Buffer): SignedData {
  const contentInfo = SequenceReader.of(parseDer(der, 'ContentInfo'), 'ContentInfo');
  const contentType = oidOf(contentInfo.next('contentType'), 'contentType');
  if (contentType !== OID.signedData) throw new Asn1Error(`ContentInfo: content type ${contentType} is not SignedData`);
  const wrapper = contentInfo.next('content');
  if (!isContext(wrapper, 0)) throw new Asn1Error('ContentInfo: content is not [0] EXPLICIT');
  const signedData = SequenceReader.of(childrenOf(wrapper, 'content')[0], 'SignedData');
  smallIntegerOf(signedData.next('version'), 'SignedData version');
  setOf(signedData.next('digestAlgorithms'), 'digestAlgorithms');
  const encapsulated = parseEncapsulatedContent(signedData.next('encapContentInfo'));
  const certificatesNode = signedData.optionalContext(0);
  // Carried CRLs are long-term material for the revocation checks, never trusted by themselves.
  const crlsNode = signedData.optionalContext(1);
  const signerInfosNode = signedData.next('signerInfos');
  const certificates = certificatesNode
    ? childrenOf(certificatesNode, 'certificates')
        .filter((choice) => isUniversal(choice, Tag.SEQUENCE))
        .map((certificate) => toDer(certificate))
    : [];
  return {
    ...encapsulated,
    certificates,
    crls: crlsNode ? childrenOf(crlsNode, 'crls').filter((choice) => isUniversal(choice, Tag.SEQUENCE)).map((crl) => toDer(crl)) : [],
    ocspResponses: crlsNode ? childrenOf(crlsNode, 'crls').filter((choice) => isContext(choice, 1)).flatMap(ocspOf) : [],
    signerInfos: setOf(signerInfosNode, 'signerInfos').map(parseSignerInfo),
  };
}

/** OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OID, otherRevInfo }, [1] IMPLICIT. */
function ocspOf(choice: Asn1Node): Buffer[] {
  const [format, info] = childrenOf(choice, 'other revocation info');
  return format && info && oidOf(format, 'otherRevInfoFormat') === OID.riOcspResponse ? [toDer(info)] : [];
}

function parseEncapsulatedContent(node: Asn1Node): Pick<SignedData, 'encapsulatedContentType' | 'encapsulatedContent'> {
  const fields = SequenceReader.of(node, 'encapContentInfo');
  const encapsulatedContentType = oidOf(fields.next('eContentType'), 'eContentType');
  const explicit = fields.optionalContext(0);
  if (!explicit) return { encapsulatedContentType };
  const inner = childrenOf(explicit, 'eContent')[0];
  // BER producers may split the OCTET STRING into constructed segments.
  const encapsulatedContent = inner?.constructed
    ? Buffer.concat(childrenOf(inner, 'eContent').map((part) => octetsOf(part, 'eContent segment')))
    : octetsOf(inner, 'eContent');
  return { encapsulatedContentType, encapsulatedContent };
}

function parseSignerInfo(node: Asn1Node): SignerInfo {
  const fields = SequenceReader.of(node, 'SignerInfo');
  const version = smallIntegerOf(fields.next('version'), 'SignerInfo version');
  const sid = parseSignerIdentifier(fields.next('sid'));
  const digestAlgorithm = parseAlgorithmIdentifier(fields.next('digestAlgorithm'), 'digestAlgorithm');
  const signedNode = fields.optionalContext(0);
  const signatureAlgorithm = parseAlgorithmIdentifier(fields.next('signatureAlgorithm'), 'signatureAlgorithm');
  const signature = octetsOf(fields.next('signature'), 'signature');
  const unsignedNode = fields.optionalContext(1);
  const unsignedAttributes = unsignedNode
    ? childrenOf(unsignedNode, 'unsignedAttrs').map((attribute) => {
        const [type, values] = sequenceOf(attribute, 'Attribute');
        return { oid: oidOf(type, 'attrType'), values: setOf(values, 'attrValues').map((value) => toDer(value)) };
      })
    : [];
  return {
    version,
    sid,
    digestAlgorithm,
    signedAttributes: signedNode ? parseSignedAttributes(signedNode) : undefined,
    signatureAlgorithm,
    signature,
    unsignedAttributes,
  };
}

function parseSignerIdentifier(node: Asn1Node): SignerIdentifier {
  if (isContext(node, 0)) {
    return { kind: 'subjectKeyIdentifier', keyId: contentBytes(node, 'subjectKeyIdentifier') };
  }
  const [issuer, serial] = sequenceOf(node, 'IssuerAndSerialNumber');
  return { kind: 'issuerAndSerialNumber', issuer: parseName(issuer, 'sid issuer'), serial: integerBytesOf(serial, 'sid serial') };
}

function parseSignedAttributes(node: Asn1Node): NonNullable<SignerInfo['signedAttributes']> {
  const items = childrenOf(node, 'signedAttrs');
  const attributes = items.map((attribute) => {
    const [type, values] = sequenceOf(attribute, 'Attribute');
    return { oid: oidOf(type, 'attrType'), values: setOf(values, 'attrValues') };
  });
  // The signature covers the EXPLICIT SET OF encoding, not the [0] IMPLICIT one on the wire.
  const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, Tag.SET, true, items);
  return { attributes, signedBytes: toDer(set) };
}

/** The single value of a signed attribute, or a reason why there is not exactly one. */
export function singleAttributeValue(attributes: Attribute[], oid: string): { value?: Asn1Node; problem?: string } {
  const found = attributes.filter((attribute) => attribute.oid === oid);
  if (found.length === 0) return { problem: 'absent' };
  if (found.length > 1) return { problem: 'present more than once' };
  if (found[0].values.length !== 1) return { problem: `has ${found[0].values.length} values` };
  return { value: found[0].values[0] };
}
