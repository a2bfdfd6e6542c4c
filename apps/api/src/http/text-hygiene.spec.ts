import { textProblems } from './text-hygiene';

describe('the one text check of every request', () => {
  it('given Latvian letters, combining marks, emoji, tabs and line breaks, then nothing is wrong', () => {
    expect(textProblems({ name: 'Ģirts Bērziņš', combined: 'Bērziņa\u0301', emoji: '👩‍👩‍👧‍👦', text: 'a\tb\nc\r\nd', nbsp: '\u00a0', list: ['ĀČĒ'] })).toEqual([]);
  });

  it('given control characters and lone surrogates at any depth, then each field is named by its path with the rule', () => {
    expect(textProblems({ a: 'x\u0000', b: { c: ['ok', '\ud800'] }, d: '\u009f', e: '\u001b' }).map((p) => `${p.field}:${p.rule}`)).toEqual([
      'a:controlCharacter',
      'b.c[1]:loneSurrogate',
      'd:controlCharacter',
      'e:controlCharacter',
    ]);
  });

  it('given a bad field name, then it is named escaped, and a personal code in a name is masked', () => {
    const [problem] = textProblems({ 'x\u0000 121288-15555': 1 });
    expect(problem.field).toBe('["x\\u0000 121288-*****"]');
    expect(JSON.stringify(problem)).not.toContain('15555');
  });

  it('never echoes the value', () => {
    const [problem] = textProblems({ personalCode: '121288-15555\u0000' });
    expect(JSON.stringify(problem)).not.toContain('121288');
  });

  it('stops after twenty problems (a body of thousands of bad strings is not a thousand-line answer)', () => {
    expect(textProblems(Array.from({ length: 5000 }, () => '\u0000'))).toHaveLength(20);
  });
});
