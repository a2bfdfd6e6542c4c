import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadConfig } from '../config/configuration';
import { loadTrustMaterial } from './trust-material';

const interop = '/work/shared/interop/libdigidocpp';

describe('trust material from a trusted list', () => {
  let crlDir: string;
  beforeAll(() => {
    crlDir = mkdtempSync(join(tmpdir(), 'atl-crl-'));
  });
  afterAll(() => rmSync(crlDir, { recursive: true, force: true }));

  const serverEnv = (list: Record<string, string>) => ({
    MODE: 'server',
    EVENT_STORE: 'embedded',
    OIDC_ISSUER: 'https://login.example.lv',
    OIDC_AUDIENCE: 'atlauja',
    CRL_DIR: crlDir,
    PSEUDONYM_KEY: 'ab'.repeat(32),
    ...list,
  });

  it('server mode with TRUSTED_LIST_FILE and no TRUSTED_CA_DIR: the list, verified with its signer, is the trust', () => {
    const material = loadTrustMaterial(loadConfig(serverEnv({ TRUSTED_LIST_FILE: join(interop, 'EE_T.xml'), TRUSTED_LIST_SIGNER_CERT: join(interop, 'TSL.crt') })));
    expect(material.anchors).toEqual([]);
    expect(material.trustedLists?.map((list) => [list.territory, list.sequenceNumber])).toEqual([['EE_T', 34]]);
  });

  it('a list that does not verify with the configured signer stops the start, naming the variable and the code', () => {
    let error: unknown;
    try {
      loadTrustMaterial(loadConfig(serverEnv({ TRUSTED_LIST_FILE: join(interop, 'EE_T.xml'), TRUSTED_LIST_SIGNER_CERT: join(interop, 'ca.crt') })));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([{ variable: 'TRUSTED_LIST_FILE', rule: expect.stringContaining('TRUSTED_LIST_SIGNATURE_INVALID') }]);
  });
});
