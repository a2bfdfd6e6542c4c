import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export type KeyPairSpec = { type: 'rsa'; modulusLength: number } | { type: 'ec'; namedCurve: string };

/**
 * A new key pair whose KeyObjects are imported from the generated DER, never the ones
 * generateKeyPairSync hands back. On Node 20 those share a lock with the generation job: when a
 * garbage collection finalizes the job while the key's details are being read (asymmetricKeyDetails
 * takes the lock, then allocates), the finalizer waits on that lock and the process hangs for good.
 * A test run hung so, its main thread in ~KeyGenJob under GetRsaKeyDetail.
 */
export function newKeyPair(spec: KeyPairSpec): { privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } =
    spec.type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: spec.modulusLength, privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } })
      : generateKeyPairSync('ec', { namedCurve: spec.namedCurve, privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
  return {
    privateKey: createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: publicKey, format: 'der', type: 'spki' }),
  };
}
