import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, eventHash, sealEvents, verifyStream } from './hash-chain';
import type { RecordedEvent } from './event-store';

const metadata = { actor: 'user:anna', occurredAt: '2025-01-02T03:04:05.000Z', schemaVersion: 1 };

describe('canonical JSON', () => {
  it('sorts keys at every depth, writes bigints as decimal strings, omits undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: 2n ** 64n }, skip: undefined })).toBe('{"a":{"c":"18446744073709551616","d":[1,"x",null]},"b":1}');
  });

  it('encodes the same value the same way whatever the key order (as jsonb returns it)', () => {
    expect(canonicalJson({ x: { b: true, a: 'ā' }, y: 0.1 })).toBe(canonicalJson(JSON.parse('{"y":0.1,"x":{"a":"ā","b":true}}')));
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });
});

describe('hash chain', () => {
  it('the hash covers prevHash, stream, revision, type, data and metadata', () => {
    const base = { prevHash: GENESIS_HASH, stream: 's', revision: 0n, type: 'T', data: { a: 1 }, metadata: { ...metadata, prevHash: GENESIS_HASH } };
    const hash = eventHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const changed of [{ stream: 't' }, { revision: 1n }, { type: 'U' }, { data: { a: 2 } }, { metadata: { ...base.metadata, actor: 'x' } }, { prevHash: 'f'.repeat(64) }]) {
      expect(eventHash({ ...base, ...changed })).not.toBe(hash);
    }
  });

  it('sealing continues from a given tip, and verification can start after a trusted event', () => {
    const first = sealEvents('s', null, [{ type: 'A', data: {}, metadata }, { type: 'B', data: {}, metadata }]);
    const more = sealEvents('s', { revision: 1n, hash: first[1].metadata.hash }, [{ type: 'C', data: {}, metadata }]);
    expect(more[0]).toMatchObject({ revision: 2n, metadata: { prevHash: first[1].metadata.hash } });
    const recorded = [...first, ...more].map((e, i): RecordedEvent => ({ ...e, position: BigInt(i + 1) }));
    expect(verifyStream(recorded)).toEqual({ ok: true });
    expect(verifyStream(recorded.slice(2), { after: { revision: 1n, hash: first[1].metadata.hash } })).toEqual({ ok: true });
    // Without the trusted anchor, a slice that does not start at revision 0 is not a whole stream.
    expect(verifyStream(recorded.slice(2))).toEqual({ ok: false, failures: [{ revision: 2n, problem: 'revision-gap' }, { revision: 2n, problem: 'chain-broken' }] });
  });

  it('an event from another stream is reported', () => {
    const a = sealEvents('a', null, [{ type: 'A', data: {}, metadata }]).map((e) => ({ ...e, position: 1n }));
    const b = sealEvents('b', { revision: 0n, hash: a[0].metadata.hash }, [{ type: 'B', data: {}, metadata }]).map((e) => ({ ...e, position: 2n }));
    expect(verifyStream([...a, ...b])).toEqual({ ok: false, failures: [{ revision: 1n, problem: 'wrong-stream' }] });
  });
});
