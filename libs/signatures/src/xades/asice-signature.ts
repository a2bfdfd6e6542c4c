/**
 * An EDOC (ASiC-E, ETSI EN 319 162-1): a ZIP whose first entry is the stored `mimetype`, whose
 * data files must be exactly the served document (the PDF, optionally with the canonical JSON),
 * and whose `META-INF/*signatures*.xml` hold the XAdES signatures over them.
 */
import type { Element } from '@xmldom/xmldom';
import { ExaminedSignature } from '../long-term';
import { sha256Hex } from '../documents';
import { CheckList } from '../verdict';
import type { FormatContext } from '../verify';
import { ContainerEntry, ContainerProblem, readContainer } from './zip-container';
import { XmlProblem, childElements, parseXml } from './safe-xml';
import { NS, examineXadesSignature, idsOf } from './xades-signature';

export const ASICE_MIMETYPE = 'application/vnd.etsi.asic-e+zip';
const ASIC_NS = ['http://uri.etsi.org/02918/v1.2.1#', 'http://uri.etsi.org/2918/v1.2.1#'];
const MANIFEST_NS = 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0';
const SIGNATURES_FILE = /^META-INF\/[^/]*signatures[^/]*\.xml$/;

export function examineAsice(checks: CheckList, zip: Buffer, context: FormatContext): ExaminedSignature[] {
  let entries: ContainerEntry[];
  try {
    entries = readContainer(zip);
  } catch (error) {
    if (error instanceof ContainerProblem) checks.fail(error.code, error.message);
    else throw error;
    return [];
  }
  checks.pass('CONTAINER_TOO_LARGE', `${entries.length} ZIP entries within the size and ratio limits, names safe and distinct`);
  checkMimetype(checks, entries);
  const files = entries.filter((entry) => !entry.name.endsWith('/') && entry.name !== 'mimetype');
  const signatureFiles = files.filter((entry) => SIGNATURES_FILE.test(entry.name));
  const manifest = files.find((entry) => entry.name === 'META-INF/manifest.xml');
  const metaOthers = files.filter((entry) => entry.name.startsWith('META-INF/') && entry !== manifest && !signatureFiles.includes(entry));
  const dataFiles = files.filter((entry) => !entry.name.startsWith('META-INF/'));
  checkDocuments(checks, dataFiles, metaOthers, context);
  if (manifest) checkManifest(checks, manifest, dataFiles);
  if (signatureFiles.length === 0) {
    checks.fail('MALFORMED', 'no META-INF/signatures*.xml: the container is not signed');
    return [];
  }
  const dataByName = new Map(dataFiles.map((entry) => [entry.name, entry.bytes]));
  const found: ExaminedSignature[] = [];
  for (const file of signatureFiles) found.push(...examineSignatureFile(checks, file, dataByName, context));
  return found;
}

function checkMimetype(checks: CheckList, entries: ContainerEntry[]): void {
  const index = entries.findIndex((entry) => entry.name === 'mimetype');
  if (index < 0) return checks.fail('MIMETYPE_MISSING', `no mimetype entry: an ASiC-E container starts with a stored "mimetype" holding ${ASICE_MIMETYPE}`);
  const entry = entries[index];
  const problems: string[] = [];
  if (index !== 0) problems.push('it is not the first entry');
  if (entry.compression !== 0) problems.push('it is compressed');
  if (entry.bytes.toString('latin1') !== ASICE_MIMETYPE) problems.push(`it holds ${JSON.stringify(entry.bytes.toString('latin1').slice(0, 80))}`);
  if (problems.length > 0) checks.fail('MIMETYPE_INVALID', `mimetype: ${problems.join(', ')}; expected the first entry, stored, holding ${ASICE_MIMETYPE}`);
  else checks.pass('MIMETYPE_INVALID', `mimetype ${ASICE_MIMETYPE}, first and stored`);
}

/** The data files are the served document and nothing else: the PDF, and at most the canonical JSON beside it. */
function checkDocuments(checks: CheckList, dataFiles: ContainerEntry[], metaOthers: ContainerEntry[], context: FormatContext): void {
  const readable = context.documents.readable;
  const jsonSha256 = sha256Hex(context.documents.json);
  const extra: string[] = metaOthers.map((entry) => `${entry.name} (not a manifest or signatures file)`);
  let readableFound = 0;
  let jsonFound = 0;
  for (const entry of dataFiles) {
    const hash = sha256Hex(entry.bytes);
    if (readable && hash === readable.sha256 && readableFound === 0) readableFound += 1;
    else if (hash === jsonSha256 && jsonFound === 0) jsonFound += 1;
    else extra.push(`${entry.name} (not the served document)`);
  }
  if (extra.length > 0) checks.fail('CONTAINER_EXTRA_FILE', `the container holds more than the served document: ${extra.join(', ')}`);
  else checks.pass('CONTAINER_EXTRA_FILE', 'the container holds only the served document');
  if (!readable) checks.fail('CONTAINER_DOCUMENT_MISSING', 'no readable document was served for this submission: sign the canonical JSON as a .p7s');
  else if (readableFound === 0) checks.fail('CONTAINER_DOCUMENT_MISSING', 'the served PDF (its exact bytes) is not in the container');
  else checks.pass('CONTAINER_DOCUMENT_MISSING', `the served PDF is in the container${jsonFound ? ', with the canonical JSON' : ''}`);
}

/** META-INF/manifest.xml (OpenDocument) lists exactly the data files. */
function checkManifest(checks: CheckList, manifest: ContainerEntry, dataFiles: ContainerEntry[]): void {
  let root: Element;
  try {
    root = parseXml(manifest.bytes, 'META-INF/manifest.xml').documentElement as Element;
  } catch (error) {
    if (error instanceof XmlProblem) return checks.fail(error.code, error.message);
    throw error;
  }
  const listed = Array.from(root.getElementsByTagNameNS(MANIFEST_NS, 'file-entry'))
    .map((entry) => entry.getAttributeNS(MANIFEST_NS, 'full-path') ?? entry.getAttribute('manifest:full-path') ?? '')
    .filter((path) => path !== '/');
  const names = dataFiles.map((entry) => entry.name);
  const missing = names.filter((name) => !listed.includes(name));
  const phantom = listed.filter((name) => !names.includes(name));
  if (missing.length > 0 || phantom.length > 0) {
    const parts = [...missing.map((n) => `${JSON.stringify(n)} is not listed`), ...phantom.map((n) => `${JSON.stringify(n)} is listed but absent`)];
    checks.fail('MANIFEST_MISMATCH', `META-INF/manifest.xml: ${parts.join('; ')}`);
  } else {
    checks.pass('MANIFEST_MISMATCH', 'META-INF/manifest.xml lists exactly the data files');
  }
}

function examineSignatureFile(checks: CheckList, file: ContainerEntry, dataFiles: Map<string, Buffer>, context: FormatContext): ExaminedSignature[] {
  let root: Element;
  try {
    root = parseXml(file.bytes, file.name).documentElement as Element;
  } catch (error) {
    if (error instanceof XmlProblem) checks.fail(error.code, error.message);
    else throw error;
    return [];
  }
  checks.pass('XML_FORBIDDEN', `${file.name} is plain XML (no DTD, no entities)`);
  const signatures =
    root.namespaceURI === NS.ds && root.localName === 'Signature'
      ? [root]
      : ASIC_NS.includes(root.namespaceURI ?? '') && root.localName === 'XAdESSignatures'
        ? childElements(root).filter((element) => element.namespaceURI === NS.ds && element.localName === 'Signature')
        : [];
  if (signatures.length === 0) {
    checks.fail('MALFORMED', `${file.name} holds no ds:Signature in asic:XAdESSignatures`);
    return [];
  }
  const { ids, duplicates } = idsOf(root);
  if (duplicates.length > 0) {
    checks.fail('SIGNATURE_WRAPPING', `${file.name}: Id ${duplicates.map((d) => JSON.stringify(d)).join(', ')} used more than once; a reference to it would be ambiguous`);
    return [];
  }
  return signatures.map((signature) => {
    const scoped = signatures.length > 1 ? checks.scoped(signature.getAttribute('Id') || 'ds:Signature') : checks;
    return examineXadesSignature(scoped, signature, {
      files: dataFiles,
      ids,
      now: context.options.now,
      skewSeconds: context.skewSeconds,
      earliestSigningTime: context.options.earliestSigningTime,
      extraCertificates: context.internal.extraCertificates,
    });
  });
}
