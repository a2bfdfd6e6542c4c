import { DocumentRendererUnavailable } from '@atlauja/signatures';
import { storeAndDomainTranslators } from './store-and-domain-problems';

describe('a readable document that cannot be rendered now (the renderer overloaded, or its thread died)', () => {
  it('answers 503 with Retry-After and the catalogue code, not 500: nothing was written, and a retry starts the renderer again', () => {
    const error = new DocumentRendererUnavailable('no answer within 10000 ms');
    const translated = storeAndDomainTranslators.map((translate) => translate(error)).find((t) => t !== undefined);
    expect(translated?.problem).toMatchObject({ status: 503, code: 'DOCUMENT_RENDERER_UNAVAILABLE', type: '/problems/DOCUMENT_RENDERER_UNAVAILABLE' });
    expect(translated?.headers).toEqual({ 'retry-after': '5' });
  });
});
