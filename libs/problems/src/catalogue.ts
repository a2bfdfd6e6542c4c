import { CODES } from './codes';

/** Where a problem's `type` points: the catalogue the API serves, relative to the API's origin (RFC 9457 allows a reference). */
export const PROBLEM_TYPE_BASE = '/problems/';

/** The kind of a problem that has no more specific code, by its status: a code of the table too. */
const KIND_OF_STATUS: Record<number, string> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'REQUEST_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  423: 'LOCKED',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export function isCatalogued(code: string | undefined): code is string {
  return code !== undefined && Object.prototype.hasOwnProperty.call(CODES, code);
}

/**
 * The code a problem's `type` names: its own code when the table has it, else its kind (a field
 * validation, else the kind of its status). Every type therefore resolves in the catalogue.
 */
export function problemCodeOf(status: number, code?: string, kind?: string): string {
  if (isCatalogued(code)) return code;
  if (isCatalogued(kind)) return kind;
  return KIND_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'MALFORMED_REQUEST');
}

export const problemTypeOf = (code: string): string => PROBLEM_TYPE_BASE + code;

/** One entry of the catalogue, Latvian first. */
export interface CatalogueEntry {
  code: string;
  type: string;
  lv: string;
  en: string;
}

export function catalogueEntry(code: string): CatalogueEntry | undefined {
  if (!isCatalogued(code)) return undefined;
  return { code, type: problemTypeOf(code), lv: CODES[code].lv, en: CODES[code].en };
}

export function catalogue(): CatalogueEntry[] {
  return Object.keys(CODES).map((code) => catalogueEntry(code)!);
}
