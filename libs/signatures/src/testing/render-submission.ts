/**
 * Renders the sample submission's PDF and prints it base64 on stdout: run in a child process by the
 * determinism test. FAKE_NOW (ISO) moves this process's clock — Date.now() and new Date() — so a
 * rendering "on another day" can be compared byte for byte.
 */
const fakeNow = process.env.FAKE_NOW ? Date.parse(process.env.FAKE_NOW) : undefined;
if (fakeNow !== undefined) {
  const RealDate = Date;
  class FakeDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(fakeNow as number);
      else super(...(args as [string]));
    }
    static override now(): number {
      return fakeNow as number;
    }
  }
  globalThis.Date = FakeDate as DateConstructor;
}

// Loaded after the clock is replaced, so nothing in them sees the real one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readableDocument } = require('../document-to-sign') as typeof import('../document-to-sign');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SAMPLE_SUBMISSION } = require('./scenario') as typeof import('./scenario');

readableDocument(SAMPLE_SUBMISSION).then(
  (document) => process.stdout.write(JSON.stringify({ now: new Date().toISOString(), offset: new Date().getTimezoneOffset(), pdf: document.bytes.toString('base64') })),
  (error: Error) => {
    process.stderr.write(String(error.stack));
    process.exit(1);
  },
);
