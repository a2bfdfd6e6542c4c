import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { newKeyPair } from './key-pair';

/**
 * In a process of its own, since a hang here would block the whole test run: keys made and read
 * (asymmetricKeyDetails, as the certificate builder and the algorithm checks do) while a large heap
 * keeps the garbage collector marking and Buffers press on external memory. On Node 20 the same
 * loop with generateKeyPairSync's own KeyObjects hung 4 of 5 runs within 25 s here
 * (~KeyGenJob waiting on the lock GetRsaKeyDetail holds).
 */
const STRESS = `
  const { newKeyPair } = require(${JSON.stringify(join(__dirname, 'key-pair.ts'))});
  const keep = [];
  for (let i = 0; i < 3e6; i++) keep.push({ a: i, b: 'x' + i });
  const junk = [];
  const until = Date.now() + 12000;
  let made = 0;
  while (Date.now() < until) {
    const { privateKey, publicKey } = newKeyPair({ type: 'rsa', modulusLength: 512 });
    for (let j = 0; j < 50; j++) junk.push(Buffer.alloc(256 * 1024));
    if (junk.length > 400) junk.length = 0;
    for (let j = 0; j < 2000; j++) keep[(Math.random() * keep.length) | 0] = { a: j, s: 'y' + j };
    if (privateKey.asymmetricKeyDetails.modulusLength !== 512 || publicKey.asymmetricKeyDetails.modulusLength !== 512) process.exit(2);
    made++;
  }
  console.log(made);
`;

describe('new key pairs', () => {
  it('are usable keys of the asked type and size', () => {
    const rsa = newKeyPair({ type: 'rsa', modulusLength: 2048 });
    expect(rsa.privateKey.type).toBe('private');
    expect(rsa.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const ec = newKeyPair({ type: 'ec', namedCurve: 'secp384r1' });
    expect(ec.privateKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(ec.publicKey.asymmetricKeyType).toBe('ec');
  });

  it('never hang when their details are read while the garbage collector runs', () => {
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', STRESS], {
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(Number(child.stdout.trim())).toBeGreaterThan(0);
  }, 90_000);
});
