/** Which format a signed object is, from its first bytes: clients do not always send a content type. */
import { SignatureFormat } from './verdict';

export function sniffFormat(bytes: Buffer): SignatureFormat | undefined {
  if (bytes.length < 4) return undefined;
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pades';
  if (bytes.readUInt32LE(0) === 0x04034b50) return 'xades';
  // DER SEQUENCE (ContentInfo), or a BER one with an indefinite length.
  if (bytes[0] === 0x30) return 'cades';
  return undefined;
}

/** The format a content type names; undefined for a generic type (octet-stream) that must be sniffed. */
export function formatOfContentType(contentType: string | undefined): SignatureFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/pdf') return 'pades';
  if (type === 'application/vnd.etsi.asic-e+zip' || type === 'application/vnd.eparaksts.edoc+zip' || type === 'application/zip') return 'xades';
  if (type === 'application/pkcs7-signature' || type === 'application/pkcs7-mime' || type === 'application/cms') return 'cades';
  return undefined;
}
