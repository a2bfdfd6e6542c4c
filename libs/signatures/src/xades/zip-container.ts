/**
 * Reads an ASiC-E container (a ZIP) within limits. fflate reads the structure: the central
 * directory first, without inflating anything (names, declared sizes, methods), then the entries
 * from their local headers. Deflated entries are inflated by node:zlib with the declared size as a
 * hard output bound, so a zip bomb — honest about its size or lying — costs at most the limit.
 */
import { inflateRawSync } from 'node:zlib';
import { Unzip, UnzipDecoder, UnzipDecoderConstructor, unzipSync } from 'fflate';
import { CheckCode } from '../verdict';

export interface ContainerLimits {
  /** Default 64. */
  maxEntries: number;
  /** Default 16 MiB per entry, inflated. */
  maxEntryBytes: number;
  /** Default 32 MiB for all entries, inflated. */
  maxTotalBytes: number;
  /** Default 200: inflated / compressed, for entries over 1 MiB inflated. */
  maxRatio: number;
}

export const DEFAULT_CONTAINER_LIMITS: ContainerLimits = { maxEntries: 64, maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 32 * 1024 * 1024, maxRatio: 200 };

export interface ContainerEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  compression: number;
  bytes: Buffer;
}

export class ContainerProblem extends Error {
  constructor(readonly code: CheckCode, message: string) {
    super(message);
  }
}

const PUSH_BYTES = 64 * 1024;

/** The entries in the order of their local headers (the order `mimetype first` is about). Throws ContainerProblem. */
export function readContainer(input: Buffer, limits: ContainerLimits = DEFAULT_CONTAINER_LIMITS): ContainerEntry[] {
  // A plain Uint8Array view: fflate slices its input often, and a Buffer's slices cost several times more.
  const zip = new Uint8Array(input.buffer, input.byteOffset, input.length);
  const central = centralDirectory(zip, limits);
  const declared = new Map(central.map((entry) => [entry.name, entry]));
  const entries: { name: string; compression: number; chunks: Uint8Array[]; length: number; done: boolean }[] = [];
  let error: ContainerProblem | undefined;
  const unzip = new Unzip((file) => {
    const expected = declared.get(file.name);
    const entry = { name: file.name, compression: file.compression, chunks: [] as Uint8Array[], length: 0, done: false };
    entries.push(entry);
    if (!expected || entries.length > central.length) {
      error ??= new ContainerProblem('MALFORMED', `the local header of ${JSON.stringify(file.name)} has no entry in the central directory`);
      return;
    }
    file.ondata = (problem, chunk, final) => {
      if (problem instanceof ContainerProblem) throw problem;
      if (problem) throw new ContainerProblem('MALFORMED', `${JSON.stringify(file.name)} cannot be inflated: ${problem.message}`);
      entry.length += chunk.length;
      if (entry.length > expected.originalSize) {
        throw new ContainerProblem('CONTAINER_TOO_LARGE', `${JSON.stringify(file.name)} inflates to more than the ${expected.originalSize} bytes it declares`);
      }
      entry.chunks.push(chunk);
      if (final) entry.done = true;
    };
    file.start();
  });
  unzip.register(boundedInflate((name) => declared.get(name)?.originalSize ?? 0));
  try {
    for (let offset = 0; offset < zip.length && !error; offset += PUSH_BYTES) {
      unzip.push(zip.subarray(offset, Math.min(offset + PUSH_BYTES, zip.length)), offset + PUSH_BYTES >= zip.length);
    }
  } catch (thrown) {
    if (thrown instanceof ContainerProblem) throw thrown;
    throw new ContainerProblem('MALFORMED', `the ZIP cannot be read: ${(thrown as Error).message}`);
  }
  if (error) throw error;
  const localNames = entries.map((entry) => entry.name);
  const centralNames = central.map((entry) => entry.name);
  if (localNames.join('\n') !== centralNames.join('\n')) {
    throw new ContainerProblem('MALFORMED', 'the local headers and the central directory list different entries: two ZIP readers would see two containers');
  }
  return entries.map((entry) => {
    const expected = declared.get(entry.name) as CentralEntry;
    const bytes = Buffer.concat(entry.chunks);
    if (!entry.done && expected.originalSize > 0) throw new ContainerProblem('MALFORMED', `${JSON.stringify(entry.name)} is truncated`);
    if (bytes.length !== expected.originalSize || entry.compression !== expected.compression) {
      throw new ContainerProblem('MALFORMED', `${JSON.stringify(entry.name)} is not what the central directory declares`);
    }
    return { name: entry.name, compression: entry.compression, bytes };
  });
}

/** fflate's decoder interface over node:zlib: the compressed bytes gathered, then inflated at most to the declared size. */
function boundedInflate(declaredSize: (name: string) => number): UnzipDecoderConstructor {
  return class BoundedInflate implements UnzipDecoder {
    static readonly compression = 8;
    ondata!: UnzipDecoder['ondata'];
    private readonly chunks: Uint8Array[] = [];

    constructor(private readonly name: string) {}

    push(chunk: Uint8Array, final: boolean): void {
      this.chunks.push(chunk);
      if (!final) return;
      const limit = declaredSize(this.name);
      let inflated: Buffer;
      try {
        inflated = inflateRawSync(Buffer.concat(this.chunks), { maxOutputLength: Math.max(limit, 1) });
      } catch (error) {
        const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
        throw tooLarge
          ? new ContainerProblem('CONTAINER_TOO_LARGE', `${JSON.stringify(this.name)} inflates to more than the ${limit} bytes it declares`)
          : new ContainerProblem('MALFORMED', `${JSON.stringify(this.name)} cannot be inflated: ${(error as Error).message}`);
      }
      this.ondata(null, new Uint8Array(inflated), true);
    }
  };
}

interface CentralEntry {
  name: string;
  compression: number;
  size: number;
  originalSize: number;
}

function centralDirectory(zip: Uint8Array, limits: ContainerLimits): CentralEntry[] {
  const central: CentralEntry[] = [];
  try {
    unzipSync(zip, {
      filter: (file) => {
        central.push({ name: file.name, compression: file.compression, size: file.size, originalSize: file.originalSize });
        if (central.length > limits.maxEntries) throw new ContainerProblem('CONTAINER_TOO_LARGE', `more than ${limits.maxEntries} entries`);
        return false;
      },
    });
  } catch (thrown) {
    if (thrown instanceof ContainerProblem) throw thrown;
    throw new ContainerProblem('MALFORMED', `not a readable ZIP: ${(thrown as Error).message}`);
  }
  if (central.length === 0) throw new ContainerProblem('MALFORMED', 'the ZIP holds no entries');
  let total = 0;
  const seen = new Map<string, string>();
  for (const entry of central) {
    const problem = unsafeName(entry.name);
    if (problem) throw new ContainerProblem('CONTAINER_UNSAFE_NAME', `${JSON.stringify(entry.name)}: ${problem}`);
    // Two names one file system would merge (case, Unicode normalization) are as ambiguous as two equal ones.
    const folded = entry.name.normalize('NFC').toLowerCase();
    if (seen.has(folded)) throw new ContainerProblem('CONTAINER_DUPLICATE_NAME', `${JSON.stringify(entry.name)} appears twice (or as ${JSON.stringify(seen.get(folded))})`);
    seen.set(folded, entry.name);
    if (entry.compression !== 0 && entry.compression !== 8) throw new ContainerProblem('MALFORMED', `${JSON.stringify(entry.name)} uses compression method ${entry.compression}; only stored and deflated are read`);
    if (entry.originalSize > limits.maxEntryBytes) {
      throw new ContainerProblem('CONTAINER_TOO_LARGE', `${JSON.stringify(entry.name)} declares ${entry.originalSize} bytes; at most ${limits.maxEntryBytes} per entry`);
    }
    if (entry.originalSize > 1024 * 1024 && entry.originalSize > limits.maxRatio * Math.max(entry.size, 1)) {
      throw new ContainerProblem('CONTAINER_TOO_LARGE', `${JSON.stringify(entry.name)} inflates ${Math.round(entry.originalSize / Math.max(entry.size, 1))}-fold; at most ${limits.maxRatio}`);
    }
    total += entry.originalSize;
    if (total > limits.maxTotalBytes) throw new ContainerProblem('CONTAINER_TOO_LARGE', `the entries declare more than ${limits.maxTotalBytes} bytes in all`);
  }
  return central;
}

/** A name that could leave the folder it is extracted to, or mean different files to different readers. */
function unsafeName(name: string): string | undefined {
  if (name.length === 0 || name.length > 255) return 'empty or longer than 255 characters';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(name)) return 'control characters or a backslash';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'an absolute path';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment === '')) return 'a "..", "." or empty path segment';
  return undefined;
}
