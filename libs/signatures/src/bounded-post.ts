/**
 * One POST to a validation service (a TSA, an OCSP responder) that cannot hold a signature's
 * verification hostage: bounded in time and in the size of its answer. Each caller turns the
 * reason into its own "unavailable" error, which the API answers with 503 and Retry-After.
 */
export interface BoundedPost {
  url: string;
  contentType: string;
  accept: string;
  body: Buffer;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** The answer's bytes, or the reason there are none (as `{ unavailable }`). */
export async function postBounded(fetchImpl: typeof fetch, request: BoundedPost): Promise<Buffer | { unavailable: string }> {
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: 'POST',
      headers: { 'content-type': request.contentType, accept: request.accept },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    return { unavailable: name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : `the request failed (${name})` };
  }
  if (!response.ok) return { unavailable: `HTTP ${response.status}` };
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > request.maxResponseBytes) return { unavailable: `a ${bytes.length}-byte answer` };
  return bytes;
}
