/**
 * JSON Canonicalization Scheme (RFC 8785): the same data always gives the same bytes, so a
 * signature over them can be checked by anyone who can re-create the data.
 *
 * - object members sorted by their names' UTF-16 code units, no whitespace;
 * - numbers serialized as ECMAScript does (JCS adopts ES Number.prototype.toString);
 * - strings escaped as JSON.stringify does (only `"`, `\` and controls; lower-case \u00xx).
 * Refused (TypeError): NaN/Infinity, lone surrogates (I-JSON), and values that are not plain
 * JSON (bigint, functions, symbols, class instances such as Date). Object members whose value is
 * `undefined` are left out, as JSON.stringify does.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, '$');
}

export function canonicalJsonBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a JSON number`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'string':
      return serializeString(value, path);
    case 'object':
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => (item === undefined ? fail(`${path}[${i}]`, 'undefined') : serialize(item, `${path}[${i}]`))).join(',')}]`;
      }
      if (!isPlainObject(value)) throw new TypeError(`${path}: not a plain JSON object`);
      return serializeObject(value as Record<string, unknown>, path);
    default:
      return fail(path, typeof value);
  }
}

function serializeObject(object: Record<string, unknown>, path: string): string {
  // Default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks.
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${serializeString(key, path)}:${serialize(object[key], `${path}.${key}`)}`).join(',')}}`;
}

function serializeString(text: string, path: string): string {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    throw new TypeError(`${path}: string with a lone surrogate`);
  }
  return JSON.stringify(text);
}

/**
 * An object literal's kind: its prototype is null or a realm's root Object.prototype. Not compared
 * with this realm's Object.prototype: rows from the embedded store's thread are built in Node's realm,
 * which under jest is not the tests' (a class instance, a Map or a Date still fails: their prototype
 * has one of its own).
 */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || (Object.getPrototypeOf(prototype) === null && Object.prototype.toString.call(value) === '[object Object]');
}

function fail(path: string, kind: string): never {
  throw new TypeError(`${path}: ${kind} is not JSON`);
}
