import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import { documentToSign } from './document-to-sign';

describe('canonicalize (RFC 8785 JCS)', () => {
  it('serializes the RFC 8785 §3.2.2 example exactly', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // (Object.keys would list "1" first: JS orders integer-like keys ahead, JCS does not.)
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the IEEE 754 value %s as %s (RFC 8785 Appendix B)', (hex, expected) => {
    expect(canonicalize(Buffer.from(hex, 'hex').readDoubleBE(0))).toBe(expected);
  });

  it('refuses what is not I-JSON', () => {
    expect(() => canonicalize(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalize(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => canonicalize({ a: '\ud800' })).toThrow(/lone surrogate/);
    expect(() => canonicalize({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalize({ when: new Date(0) })).toThrow(/plain JSON/);
    expect(() => canonicalize([undefined])).toThrow(TypeError);
  });

  it('leaves out undefined members, as JSON does, and keeps Latvian text as UTF-8', () => {
    expect(canonicalize({ b: undefined, a: 'āčēģīķļņšūž' })).toBe('{"a":"āčēģīķļņšūž"}');
  });
});

describe('documentToSign', () => {
  const input = { applicationId: 'APP-1', revision: 12n, content: { z: 1, a: { y: [1, 'ž'], b: null } } };

  it('gives the same bytes whatever the member order, with id, revision and a matching SHA-256', () => {
    const reordered = { ...input, content: { a: { b: null, y: [1, 'ž'] }, z: 1 } };
    const first = documentToSign(input);
    expect(documentToSign(reordered).bytes.equals(first.bytes)).toBe(true);
    expect(first.bytes.toString('utf8')).toBe(
      '{"applicationId":"APP-1","content":{"a":{"b":null,"y":[1,"ž"]},"z":1},"revision":"12","type":"atlauja.application-submission.v1"}',
    );
    expect(first.sha256).toBe(createHash('sha256').update(first.bytes).digest('hex'));
    expect(first.mediaType).toBe('application/json');
    expect(first.text).toContain('APP-1');
  });

  it('binds the revision: another revision gives other bytes', () => {
    expect(documentToSign({ ...input, revision: 13 }).sha256).not.toBe(documentToSign(input).sha256);
    expect(documentToSign({ ...input, revision: '12' }).sha256).toBe(documentToSign(input).sha256);
  });

  it('refuses a revision that is not a non-negative integer', () => {
    expect(() => documentToSign({ ...input, revision: -1 })).toThrow(TypeError);
    expect(() => documentToSign({ ...input, revision: '1.5' })).toThrow(TypeError);
  });
});
