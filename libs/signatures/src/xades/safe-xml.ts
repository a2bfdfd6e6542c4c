/**
 * XML for signatures, parsed with @xmldom/xmldom and nothing it could be tricked into: a document
 * type declaration is refused before parsing (no DTD means no entity to expand and no external
 * resource to read: XXE and "billion laughs" both need one), and any parser warning is an error.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { DOMParser } from '@xmldom/xmldom';
import { CheckCode } from '../verdict';

export class XmlProblem extends Error {
  constructor(readonly code: CheckCode, message: string) {
    super(message);
  }
}

export const MAX_XML_BYTES = 4 * 1024 * 1024;

export function parseXml(bytes: Buffer, what: string): Document {
  if (bytes.length > MAX_XML_BYTES) throw new XmlProblem('CONTAINER_TOO_LARGE', `${what} has ${bytes.length} bytes; at most ${MAX_XML_BYTES}`);
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\uFFFD')) throw new XmlProblem('MALFORMED', `${what} is not UTF-8`);
  // The markup, not text: "<!DOCTYPE" in character data would be escaped (&lt;) in well-formed XML.
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new XmlProblem('XML_FORBIDDEN', `${what} declares a document type or entities; a signature needs none, and they are how XXE and entity expansion attacks work`);
  }
  try {
    const document = new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(text, 'text/xml');
    if (!document.documentElement) throw new Error('no root element');
    return document;
  } catch (error) {
    throw new XmlProblem('MALFORMED', `${what} is not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Element children only, in order. */
export function childElements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) out.push(node as Element);
  return out;
}

export function children(parent: Element, ns: string, name: string): Element[] {
  return childElements(parent).filter((element) => element.namespaceURI === ns && element.localName === name);
}

export function child(parent: Element | undefined, ns: string, name: string): Element | undefined {
  return parent ? children(parent, ns, name)[0] : undefined;
}

export function descendants(root: Element, ns: string, name: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(ns, name));
}

export function allElements(root: Element): Element[] {
  return [root, ...Array.from(root.getElementsByTagName('*'))];
}

export function textOf(element: Element | undefined): string {
  return element?.textContent ?? '';
}

/** Base64 content with the line breaks producers put in; undefined when it is not base64. */
export function base64Of(element: Element | undefined): Buffer | undefined {
  const text = textOf(element).replace(/\s+/g, '');
  if (!text || !/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64');
}
