/**
 * The pseudonym that names a user's grant stream: a keyed hash (HMAC-SHA-256) of the normalized
 * personal code. A plain hash of an 11-digit code with a date in it is reversed by trying them all;
 * without the key it is not. The key must never change (the streams are named by it): local mode
 * keeps it beside the token key in DATA_DIR/auth, a server deployment sets PSEUDONYM_KEY.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { grantStream, normalizePersonalCode } from '@atlauja/domain';

export const PSEUDONYM_KEY_BYTES = 32;

export class Pseudonyms {
  constructor(private readonly key: Buffer) {
    if (key.length < PSEUDONYM_KEY_BYTES) throw new TypeError(`the pseudonym key must be at least ${PSEUDONYM_KEY_BYTES} bytes`);
  }

  /** The user's pseudonym (32 hex characters); throws for a code that is not a personal code. */
  of(personalCode: string): string {
    return createHmac('sha256', this.key).update(normalizePersonalCode(personalCode, 'personalCode')).digest('hex').slice(0, 32);
  }

  /** The id of the user's grant stream at an institution (`<institution>-<pseudonym>`). */
  grantId(institution: string, personalCode: string): string {
    return `${institution}-${this.of(personalCode)}`;
  }

  /** The grant stream's name. */
  grantStream(institution: string, personalCode: string): string {
    return grantStream(institution, this.of(personalCode));
  }

  /** From hex (PSEUDONYM_KEY). */
  static fromHex(hex: string): Pseudonyms {
    if (!/^[0-9a-fA-F]+$/.test(hex)) throw new TypeError('PSEUDONYM_KEY must be hex');
    return new Pseudonyms(Buffer.from(hex, 'hex'));
  }

  /** Local mode: the key in `<dir>/pseudonym.key`, made once. */
  static inDirectory(dir: string): Pseudonyms {
    const file = join(dir, 'pseudonym.key');
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, randomBytes(PSEUDONYM_KEY_BYTES).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    return Pseudonyms.fromHex(readFileSync(file, 'utf8').trim());
  }
}
