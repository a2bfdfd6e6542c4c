/** X.501 distinguished names: decoded for display (UTF-8 with Latvian diacritics) and compared for chaining. */
import { Asn1Node, childrenOf, oidOf, sequenceOf, setOf, stringOf, toDer } from './asn1';
import { OID } from './oids';

export interface NameAttribute {
  oid: string;
  value: string;
}

export interface DistinguishedName {
  /** Exact encoding, as it appears in the certificate. */
  der: Buffer;
  /** RDNs in encoded order, multi-valued RDNs flattened. */
  attributes: NameAttribute[];
  /** Readable form, e.g. `C=LV, O=…, CN=Jānis Bērziņš` (encoded order). */
  text: string;
  /** `text` with personal codes masked (`PNOLV-320000-*****`): for check details. */
  display: string;
}

const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.surname]: 'SN',
  [OID.serialNumber]: 'serialNumber',
  [OID.country]: 'C',
  [OID.locality]: 'L',
  [OID.state]: 'ST',
  [OID.organization]: 'O',
  [OID.organizationalUnit]: 'OU',
  [OID.title]: 'title',
  [OID.givenName]: 'GN',
  [OID.organizationIdentifier]: 'organizationIdentifier',
  [OID.emailAddress]: 'emailAddress',
};

export function parseName(node: Asn1Node, what: string): DistinguishedName {
  const rdnTexts: string[] = [];
  const rdnDisplays: string[] = [];
  const attributes: NameAttribute[] = [];
  for (const rdn of sequenceOf(node, what)) {
    const parts: string[] = [];
    const displayParts: string[] = [];
    for (const typeAndValue of setOf(rdn, `${what} RDN`)) {
      const [type, value] = childrenOf(typeAndValue, `${what} attribute`);
      const oid = oidOf(type, `${what} attribute type`);
      const text = stringOf(value, `${what} attribute value`);
      attributes.push({ oid, value: text });
      parts.push(`${SHORT_NAMES[oid] ?? oid}=${escapeValue(text)}`);
      displayParts.push(`${SHORT_NAMES[oid] ?? oid}=${escapeValue(oid === OID.serialNumber ? maskPersonalCodes(text) : text)}`);
    }
    rdnTexts.push(parts.join('+'));
    rdnDisplays.push(displayParts.join('+'));
  }
  return { der: toDer(node), attributes, text: rdnTexts.join(', '), display: rdnDisplays.join(', ') };
}

export function nameAttribute(name: DistinguishedName, oid: string): string | undefined {
  return name.attributes.find((attribute) => attribute.oid === oid)?.value;
}

/**
 * Name matching for chain building: identical encodings match; otherwise the RFC 5280 §7.1
 * simplification (same attribute types in the same order, values equal after case folding and
 * whitespace collapsing), which covers a CA that re-encodes PrintableString as UTF8String.
 */
export function namesEqual(a: DistinguishedName, b: DistinguishedName): boolean {
  if (a.der.equals(b.der)) return true;
  if (a.attributes.length !== b.attributes.length) return false;
  return a.attributes.every((attribute, i) => {
    const other = b.attributes[i];
    return attribute.oid === other.oid && fold(attribute.value) === fold(other.value);
  });
}

function fold(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function escapeValue(value: string): string {
  return value.replace(/([,+"\\<>;])/g, '\\$1');
}

/** The domain's masking of personal codes: the first six digits stay, the rest becomes `*****`. */
function maskPersonalCodes(value: string): string {
  return value.replace(/(\d{6})-?\d{5}/g, '$1-*****');
}
