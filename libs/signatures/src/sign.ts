/**
 * Writes a detached CAdES-BES signature (CMS SignedData) with node:crypto.
 *
 * FOR TESTS AND THE LOCAL DEMO ONLY. Real representatives sign with their qualified device
 * (eID card, eParaksts mobile) in their own software; this server never holds their keys.
 */
import { constants, createPrivateKey, KeyObject, sign, X509Certificate } from 'node:crypto';
import { Asn1Node, build, toDer } from './asn1';
import { HashName, HASH_LENGTH, OID_BY_HASH, digest } from './algorithms';
import { Certificate, certificateDer, parseCertificate } from './certificate';
import { OID } from './oids';

export interface SignOptions {
  /** The signer's private key (KeyObject or PEM). */
  key: KeyObject | string;
  /** The signer certificate (DER, PEM or X509Certificate). */
  certificate: Buffer | string | X509Certificate;
  /** Intermediate certificates to carry for the verifier. */
  chain?: (Buffer | string | X509Certificate)[];
  /** Default sha256. */
  hash?: HashName;
  signingTime: Date;
  /** RSA-PSS instead of PKCS#1 v1.5 (RSA keys only). */
  pss?: boolean;
  /** Test knob: carry the content (an attached signature, which the verifier refuses). */
  attached?: boolean;
  /** The eContentType and signed contentType; default id-data (a time-stamp token is id-ct-TSTInfo, attached). */
  contentType?: string;
  /** Test knob: which ESS signing-certificate attribute to write; default 'v2'. */
  signingCertificateAttribute?: 'v2' | 'v1' | 'none';
  /** Test knob: reference this certificate in the ESS attribute instead of the signer's. */
  signingCertificateReference?: Buffer;
}

export function signDetachedCades(content: Buffer, options: SignOptions): Buffer {
  const key = typeof options.key === 'string' ? createPrivateKey(options.key) : options.key;
  const signer = parseCertificate(certificateBytes(options.certificate));
  const hash = options.hash ?? 'sha256';
  const digestAlgorithm = build.sequence([build.oid(OID_BY_HASH[hash])]);
  const referenced = options.signingCertificateReference ? parseCertificate(options.signingCertificateReference) : signer;

  const attributes = [
    attribute(OID.contentType, build.oid(options.contentType ?? OID.data)),
    attribute(OID.signingTime, build.time(options.signingTime)),
    attribute(OID.messageDigest, build.octets(digest(hash, content))),
  ];
  const essKind = options.signingCertificateAttribute ?? 'v2';
  if (essKind === 'v2') attributes.push(attribute(OID.signingCertificateV2, signingCertificateV2(referenced, hash)));
  if (essKind === 'v1') attributes.push(attribute(OID.signingCertificate, signingCertificateV1(referenced)));

  // DER SET OF: sorted encodings. Signed as a SET (0x31), carried as [0] IMPLICIT (0xA0).
  const signedSet = build.sortedSet(attributes);
  const { algorithm, signature } = signSignedAttributes(toDer(signedSet), key, hash, options.pss ?? false);

  const signerInfo = build.sequence([
    build.smallInteger(1),
    build.sequence([build.fromDer(signer.issuer.der, 'issuer'), build.integer(signer.serial)]),
    digestAlgorithm,
    build.implicitConstructed(0, signedSet.value as Asn1Node[]),
    algorithm,
    build.octets(signature),
  ]);
  const certificates = [signer.der, ...(options.chain ?? []).map(certificateBytes)];
  const signedData = build.sequence([
    build.smallInteger(1),
    build.set([digestAlgorithm]),
    build.sequence([build.oid(options.contentType ?? OID.data), ...(options.attached ? [build.explicit(0, build.octets(content))] : [])]),
    build.implicitConstructed(
      0,
      certificates.map((der) => build.fromDer(der, 'certificate')),
    ),
    build.set([signerInfo]),
  ]);
  return toDer(build.sequence([build.oid(OID.signedData), build.explicit(0, signedData)]));
}

function certificateBytes(input: Buffer | string | X509Certificate): Buffer {
  return input instanceof X509Certificate ? input.raw : certificateDer(input);
}

function attribute(oid: string, value: Asn1Node): Asn1Node {
  return build.sequence([build.oid(oid), build.set([value])]);
}

/** RFC 5035 ESSCertIDv2; the hash algorithm is omitted when it is the DEFAULT SHA-256 (DER). */
function signingCertificateV2(certificate: Certificate, hash: HashName): Asn1Node {
  const essCertId = build.sequence([
    ...(hash === 'sha256' ? [] : [build.sequence([build.oid(OID_BY_HASH[hash])])]),
    build.octets(digest(hash, certificate.der)),
    issuerSerial(certificate),
  ]);
  return build.sequence([build.sequence([essCertId])]);
}

function signingCertificateV1(certificate: Certificate): Asn1Node {
  return build.sequence([build.sequence([build.sequence([build.octets(digest('sha1', certificate.der)), issuerSerial(certificate)])])]);
}

/** IssuerSerial: GeneralNames with the issuer as directoryName [4], and the serial. */
function issuerSerial(certificate: Certificate): Asn1Node {
  return build.sequence([build.sequence([build.explicit(4, build.fromDer(certificate.issuer.der, 'issuer'))]), build.integer(certificate.serial)]);
}

function signSignedAttributes(data: Buffer, key: KeyObject, hash: HashName, pss: boolean): { algorithm: Asn1Node; signature: Buffer } {
  if (key.asymmetricKeyType === 'ec') {
    const oid = { sha256: OID.ecdsaWithSha256, sha384: OID.ecdsaWithSha384, sha512: OID.ecdsaWithSha512 }[hash];
    return { algorithm: build.sequence([build.oid(oid)]), signature: sign(hash, data, key) };
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`unsupported key type ${key.asymmetricKeyType}`);
  if (!pss) {
    const oid = { sha256: OID.sha256WithRSAEncryption, sha384: OID.sha384WithRSAEncryption, sha512: OID.sha512WithRSAEncryption }[hash];
    return { algorithm: build.sequence([build.oid(oid), build.null()]), signature: sign(hash, data, key) };
  }
  const hashAlgorithm = build.sequence([build.oid(OID_BY_HASH[hash]), build.null()]);
  const parameters = build.sequence([
    build.explicit(0, hashAlgorithm),
    build.explicit(1, build.sequence([build.oid(OID.mgf1), hashAlgorithm])),
    build.explicit(2, build.smallInteger(HASH_LENGTH[hash])),
  ]);
  return {
    algorithm: build.sequence([build.oid(OID.rsassaPss), parameters]),
    signature: sign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] }),
  };
}
