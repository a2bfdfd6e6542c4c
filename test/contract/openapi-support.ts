/** Reading the served OpenAPI document: its operations, and a schema with its `$ref`s followed. */
export type OpenApi = Record<string, any>;

export const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

export interface Operation {
  path: string;
  method: (typeof METHODS)[number];
  op: Record<string, any>;
}

export function operationsOf(document: OpenApi): Operation[] {
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );
}

/** Follows a local `$ref` (`#/components/...`). */
export function resolve(document: OpenApi, node: any): any {
  let current = node;
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    current = current.$ref.replace(/^#\//, '').split('/').reduce((at: any, key: string) => at?.[key], document);
  }
  return current;
}

export const successStatuses = (op: Record<string, any>): string[] => Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
