import { MAX_BODY_DEPTH, nestingDepthExceeds } from './body-depth';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('the nesting limit on request bodies', () => {
  it('admits bodies up to the limit and refuses deeper ones', () => {
    expect(nestingDepthExceeds(nested(MAX_BODY_DEPTH))).toBe(false);
    expect(nestingDepthExceeds(nested(MAX_BODY_DEPTH + 1))).toBe(true);
  });

  it('copes with a body nested 100,000 levels deep without overflowing', () => {
    expect(nestingDepthExceeds(nested(100_000))).toBe(true);
  });
});
