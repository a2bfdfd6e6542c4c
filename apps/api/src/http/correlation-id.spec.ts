import { correlationIdOf } from './correlation-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("a caller's correlation id", () => {
  it.each(['portal-7f3a.req:1', 'a', 'A'.repeat(64), '6d1f6f43-4c0a-4c4b-9a59-0b8c1c6a0e11', '12345-67890'])('given the safe id %s, then it is kept', (given) => {
    expect(correlationIdOf(given)).toBe(given);
  });

  it.each([
    ['a personal code', '121288-15555'],
    ['a personal code without its hyphen', '12128815555'],
    ['a new-format code inside', 'req-329999-00001-x'],
    ['a code with another separator', '121288.15555'],
    ['eleven digits inside a longer run', 'id-123456789012'],
    ['65 characters', 'a'.repeat(65)],
    ['nothing', ''],
    ['a control character', 'a\u0000b'],
    ['a space', 'a b'],
    ['non-ASCII', 'Bērziņa'],
    ['a list', ['a', 'b']],
    ['no header', undefined],
  ])('given %s, then a fresh id replaces it', (_name, given) => {
    const id = correlationIdOf(given as string | string[] | undefined);
    expect(id).toMatch(UUID);
    expect(id).not.toBe(given);
  });

  it('never makes one whose digits run like a personal code (the log mask would garble it)', () => {
    for (let i = 0; i < 20_000; i += 1) expect(correlationIdOf(undefined)).not.toMatch(/\d{6}[._:-]?\d{5}/);
  });
});
