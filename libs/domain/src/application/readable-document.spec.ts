/** The submission records the readable PDF's hash beside the canonical document's, when one is served. */
import { AT, DOC, REP_CODE, commands, run } from '../../test/fixtures';
import { given } from '../../test/given';

const PDF = 'b'.repeat(64);

describe('submitting with a readable document', () => {
  const drafted = () => run(commands.draft({ kind: 'termination', replaces: 'app-0000' }));

  it('records the PDF hash in ApplicationSubmitted', () => {
    given(drafted())
      .when(commands.submit({ pdfSha256: PDF }))
      .then([{ type: 'ApplicationSubmitted', data: { documentSha256: DOC, pdfSha256: PDF, submittedBy: REP_CODE, submittedAt: AT } }]);
  });

  it('refuses a PDF hash that is not a lowercase SHA-256 (DOCUMENT_HASH_INVALID)', () => {
    given(drafted()).when(commands.submit({ pdfSha256: 'B'.repeat(64) })).then('DOCUMENT_HASH_INVALID');
  });
});
