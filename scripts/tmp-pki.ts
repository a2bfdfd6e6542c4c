import { writeFileSync } from 'fs';
import { testPki } from '../libs/signatures/src/testing/test-pki';
const pki = testPki();
const c = pki.rsa;
const pem = (der: Buffer, l = 'CERTIFICATE') => `-----BEGIN ${l}-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${l}-----\n`;
writeFileSync('/tmp/pades/holder.pem', pem(c.holder.der));
writeFileSync('/tmp/pades/ica.pem', pem(c.ica.der));
writeFileSync('/tmp/pades/root.pem', pem(c.root.der));
writeFileSync('/tmp/pades/holder.key', c.holder.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
