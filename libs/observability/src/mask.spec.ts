import { maskSecrets } from './mask';

describe('masking secrets in log lines', () => {
  it('masks personal codes with and without the hyphen, old and new formats', () => {
    expect(maskSecrets('{"user":"010190-12345"}')).toBe('{"user":"010190-*****"}');
    expect(maskSecrets('code 32123456789 here')).toBe('code 321234-***** here');
  });

  it('leaves registration numbers of institutions readable', () => {
    expect(maskSecrets('{"institution":"90000000001"}')).toBe('{"institution":"90000000001"}');
  });

  it('does not touch longer digit runs such as positions', () => {
    expect(maskSecrets('"position":"123456789012345"')).toBe('"position":"123456789012345"');
  });

  it('cuts bearer tokens and bare JWTs out', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIwMTAxOTAtMTIzNDUifQ.c2lnbmF0dXJl';
    expect(maskSecrets(`authorization: Bearer ${jwt}`)).toBe('authorization: Bearer [token]');
    expect(maskSecrets(`token=${jwt}`)).toBe('token=[token]');
  });
});
