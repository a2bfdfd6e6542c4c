/**
 * RFC 3161 time-stamp tokens read into plain parts (a CMS SignedData over a TSTInfo), and the
 * request and response a TSA speaks over HTTP. No verification happens here.
 */
import { randomBytes } from 'node:crypto';
import { Asn1Error, SequenceReader, Tag, build, integerBytesOf, isUniversal, octetsOf, oidOf, parseDer, smallIntegerOf, timeOf, toDer } from './asn1';
import { HASH_BY_OID, HashName, OID_BY_HASH, digest, parseAlgorithmIdentifier } from './algorithms';
import { SignedData, parseSignedData } from './cms';
import { serialToHex } from './certificate';
import { OID } from './oids';

export interface TstInfo {
  policy: string;
  hashOid: string;
  /** Undefined for a digest outside SHA-256/384/512. */
  hash?: HashName;
  imprint: Buffer;
  serialHex: string;
  genTime: Date;
  nonce?: Buffer;
}

export interface ParsedTimestampToken {
  signedData: SignedData;
  info: TstInfo;
}

/** A TimeStampToken (ContentInfo → SignedData → TSTInfo); throws Asn1Error when it is not one. */
export function parseTimestampToken(der: Buffer): ParsedTimestampToken {
  const signedData = parseSignedData(der);
  if (signedData.encapsulatedContentType !== OID.tstInfo) throw new Asn1Error(`time-stamp token: content type ${signedData.encapsulatedContentType} is not id-ct-TSTInfo`);
  if (!signedData.encapsulatedContent) throw new Asn1Error('time-stamp token: no TSTInfo inside');
  return { signedData, info: parseTstInfo(signedData.encapsulatedContent) };
}

export function parseTstInfo(der: Buffer): TstInfo {
  const fields = SequenceReader.of(parseDer(der, 'TSTInfo'), 'TSTInfo');
  const version = smallIntegerOf(fields.next('version'), 'TSTInfo version');
  if (version !== 1) throw new Asn1Error(`TSTInfo: version ${version} is not 1`);
  const policy = oidOf(fields.next('policy'), 'TSTInfo policy');
  const imprint = SequenceReader.of(fields.next('messageImprint'), 'messageImprint');
  const hashOid = parseAlgorithmIdentifier(imprint.next('hashAlgorithm'), 'messageImprint hashAlgorithm').oid;
  const hashedMessage = octetsOf(imprint.next('hashedMessage'), 'hashedMessage');
  const serial = integerBytesOf(fields.next('serialNumber'), 'TSTInfo serialNumber');
  const genTimeNode = fields.next('genTime');
  if (!isUniversal(genTimeNode, Tag.GENERALIZED_TIME)) throw new Asn1Error('TSTInfo: genTime is not a GeneralizedTime');
  const genTime = timeOf(genTimeNode, 'genTime');
  fields.optionalUniversal(Tag.SEQUENCE); // accuracy
  fields.optionalUniversal(Tag.BOOLEAN); // ordering
  const nonceNode = fields.optionalUniversal(Tag.INTEGER);
  return {
    policy,
    hashOid,
    hash: HASH_BY_OID[hashOid],
    imprint: hashedMessage,
    serialHex: serialToHex(serial),
    genTime,
    nonce: nonceNode ? integerBytesOf(nonceNode, 'TSTInfo nonce') : undefined,
  };
}

/** A TimeStampReq over these bytes (SHA-256 imprint), asking for the TSA's certificate, with a fresh nonce. */
export function timestampRequest(covered: Buffer, hash: HashName = 'sha256'): { der: Buffer; nonce: Buffer } {
  const nonce = randomBytes(8);
  nonce[0] &= 0x7f;
  const der = toDer(
    build.sequence([
      build.smallInteger(1),
      build.sequence([build.sequence([build.oid(OID_BY_HASH[hash])]), build.octets(digest(hash, covered))]),
      build.integer(nonce),
      build.boolean(true),
    ]),
  );
  return { der, nonce };
}

/** The token of a TimeStampResp with status granted (0) or grantedWithMods (1); throws with the TSA's status otherwise. */
export function tokenFromResponse(der: Buffer): Buffer {
  const fields = SequenceReader.of(parseDer(der, 'TimeStampResp'), 'TimeStampResp');
  const status = SequenceReader.of(fields.next('status'), 'PKIStatusInfo');
  const code = smallIntegerOf(status.next('status'), 'PKIStatus');
  if (code !== 0 && code !== 1) throw new Asn1Error(`the TSA refused the request (PKIStatus ${code})`);
  if (!fields.hasMore()) throw new Asn1Error('the TSA granted the request but sent no token');
  return toDer(fields.next('timeStampToken'));
}
