/**
 * XML canonicalization with xml-crypto's canonicalizers: C14N 1.0 and exclusive C14N, with and
 * without comments. C14N 1.1 differs from 1.0 only in how xml:base, xml:id (and the other
 * inherited xml: attributes) of the ancestors are carried into a subset; XAdES signatures have
 * none, so 1.1 is computed by the 1.0 canonicalizer and refused where an ancestor carries one.
 */
import type { Element } from '@xmldom/xmldom';
import { C14nCanonicalization, C14nCanonicalizationWithComments, ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments } from 'xml-crypto';
import { childElements } from './safe-xml';

const C14N10 = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const C14N11 = 'http://www.w3.org/2006/12/xml-c14n11';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

export const CANONICALIZATIONS = [C14N10, `${C14N10}#WithComments`, C14N11, `${C14N11}#WithComments`, EXC_C14N, `${EXC_C14N}WithComments`] as const;
/** What a same-document reference without transforms is canonicalized with (XML-DSig 4.4.3.3). */
export const DEFAULT_CANONICALIZATION = C14N10;

export function isCanonicalization(algorithm: string): boolean {
  return (CANONICALIZATIONS as readonly string[]).includes(algorithm);
}

/** The canonical bytes of `element` as a document subset; throws for an algorithm it does not know. */
export function canonicalize(element: Element, algorithm: string, method?: Element): Buffer {
  if (!isCanonicalization(algorithm)) throw new Error(`canonicalization ${algorithm} is not supported`);
  const exclusive = algorithm.startsWith(EXC_C14N);
  const comments = algorithm.endsWith('WithComments');
  if (!exclusive && inheritsXmlAttributes(element)) {
    throw new Error('an ancestor carries xml: attributes (xml:base, xml:id, xml:lang, xml:space), which this canonicalizer does not inherit');
  }
  const canonicalizer = exclusive
    ? comments ? new ExclusiveCanonicalizationWithComments() : new ExclusiveCanonicalization()
    : comments ? new C14nCanonicalizationWithComments() : new C14nCanonicalization();
  const prefixes = exclusive ? inclusivePrefixes(method) : undefined;
  const text = canonicalizer.process(element as unknown as Parameters<C14nCanonicalization['process']>[0], {
    ancestorNamespaces: ancestorNamespaces(element),
    ...(prefixes ? { inclusiveNamespacesPrefixList: prefixes } : {}),
  }) as string;
  return Buffer.from(text, 'utf8');
}

/** Namespace declarations in scope from the ancestors (the nearest wins), for an inclusive subset. */
function ancestorNamespaces(element: Element): { prefix: string; namespaceURI: string }[] {
  const found = new Map<string, string>();
  for (let node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i += 1) {
      const attribute = attributes[i];
      const prefix = attribute.name === 'xmlns' ? '' : attribute.name.startsWith('xmlns:') ? attribute.name.slice(6) : undefined;
      if (prefix !== undefined && !found.has(prefix)) found.set(prefix, attribute.value);
    }
  }
  return [...found.entries()].filter(([, uri]) => uri !== '').map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

function inheritsXmlAttributes(element: Element): boolean {
  for (let node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i += 1) if (attributes[i].name.startsWith('xml:')) return true;
  }
  return false;
}

/** ec:InclusiveNamespaces PrefixList of an exclusive canonicalization method or transform. */
function inclusivePrefixes(method: Element | undefined): string[] | undefined {
  if (!method) return undefined;
  const inclusive = childElements(method).find((element) => element.localName === 'InclusiveNamespaces');
  const list = inclusive?.getAttribute('PrefixList')?.trim();
  return list ? list.split(/\s+/).map((prefix: string) => (prefix === '#default' ? '' : prefix)) : undefined;
}
