import { readFileSync } from 'fs';
import { verifySignature } from '../libs/signatures/src/verify';
import { testPki } from '../libs/signatures/src/testing/test-pki';
const dir = '/work/shared/interop/libdigidocpp/';
const pki = testPki();
for (const [file, doc] of [['test.asice', 'test1.txt'], ['tsl.asice', null], ['forged_lt.asice', null], ['asice-path.asice', null], ['asice-relative.asice', null], ['dot.asice', null], ['pt-empty.asice', null]] as const) {
  const bytes = readFileSync(dir + file);
  const readable = doc ? readFileSync(dir + doc) : Buffer.from('test');
  const v = verifySignature(bytes, { json: Buffer.from('{}'), readable: { bytes: readable, sha256: require('crypto').createHash('sha256').update(readable).digest('hex') } }, { trustAnchors: [pki.rsa.anchor], crls: pki.rsa.crls, now: new Date('2026-01-01'), expectedPersonalCode: pki.rsa.personalCode });
  console.log('==', file, v.failures.join(','));
  for (const c of v.checks) if (!c.ok || /REFERENCE|SIGNATURE_INVALID|SIGNED_PROP/.test(c.code)) console.log('  ', c.ok ? 'ok ' : 'FAIL', c.code, c.detail.slice(0, 160));
}
const signed = readFileSync('/tmp/pades/signed.pdf'); const served = readFileSync('/tmp/doc.pdf');
const v = verifySignature(signed, { json: Buffer.from('{}'), readable: { bytes: served, sha256: require('crypto').createHash('sha256').update(served).digest('hex') } }, { trustAnchors: [pki.rsa.anchor], crls: pki.rsa.crls, now: new Date(), expectedPersonalCode: pki.rsa.personalCode });
console.log('== pades', v.valid, v.failures); for (const c of v.checks) console.log('  ', c.ok ? 'ok ' : 'FAIL', c.code, c.detail.slice(0, 160));
