/**
 * Where notices go. Today a file (one JSON line per notice in DATA_DIR/notices.jsonl) that an
 * operator or a log shipper reads; the official e-address (e-adrese, seed 004) adapter comes later
 * behind the same port. Lines carry the masked user, never a personal code.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Notice {
  noticeId: string;
  recipient: { kind: 'institution' | 'user'; id: string };
  kind: string;
  applicationId: string;
  institution: string;
  dueAt: string;
}

export interface NoticeDelivery {
  /** Resolves once the notice is handed over; throws to have it retried. */
  deliver(notice: Notice, at: Date): Promise<void>;
}

export class FileNoticeDelivery implements NoticeDelivery {
  constructor(private readonly path: string) {}

  async deliver(notice: Notice, at: Date): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify({ ...notice, deliveredAt: at.toISOString() })}\n`, 'utf8');
  }
}
