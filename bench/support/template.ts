/**
 * Stored events for the scale and rebuild figures: one real application walked from draft to
 * approved through the real application (in-process, local mode's demo PKI and tokens, on an
 * in-memory store), then copied in bulk by SQL under new application ids. The copies carry the
 * template's hashes, so their hash chains do not verify: they are for sizes and speeds, not audits.
 * Copies stop at different states (30% signed and waiting in the queue, 10% claimed, 60% approved).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicationStream } from '@atlauja/domain';
import { InMemoryEventStore, PostgresEventStore, RecordedEvent } from '@atlauja/event-store';
import { createApp } from '../../apps/api/src/app.factory';
import { loadConfig } from '../../apps/api/src/config/configuration';
import { draftBody, MINISTRY_USER_RIGHTS, prepareActors } from './actors';

export interface Template {
  applicationId: string;
  events: RecordedEvent[];
}

export async function realLifecycle(): Promise<Template> {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-template-'));
  const store = new InMemoryEventStore();
  try {
    const actors = await prepareActors(dir);
    // Local mode's own trust (the demo PKI of DATA_DIR), whose DEMO TSA stamps the B-level signature as the Latvian policy requires.
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn' });
    const { app, startup } = await createApp(config, { eventStore: store, logSink: { write: (l) => { if (process.env.BENCH_DEBUG) process.stderr.write(l); } } });
    await app.init();
    await startup.done;
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) => {
      const res = await fastify.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json() as Record<string, string>;
    };
    const rep = actors.tokens.representative;
    const approver = actors.tokens.approvers[0];
    const id = (await call('POST', '/applications', rep, draftBody())).applicationId;
    await call('PUT', `/applications/${id}/rights`, rep, MINISTRY_USER_RIGHTS);
    await call('POST', `/applications/${id}/submit`, rep);
    const document = await call('GET', `/applications/${id}/document`, rep);
    await call('POST', `/applications/${id}/signature`, rep, { signature: actors.sign(document.contentBase64) });
    await call('POST', `/applications/${id}/claim`, approver);
    await call('POST', `/applications/${id}/approve`, approver);
    // The application's own stream: the registry, grant and login streams the walk also wrote are not copied.
    const events = (await store.readAll(0n, 1000)).filter((e) => e.stream === applicationStream(id));
    await app.close();
    return { applicationId: id, events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real ApplicationDrafted of the template (about 600 bytes): the payload of the append figures. */
export function draftedPayload(template: Template): { type: string; data: Record<string, unknown>; metadata: RecordedEvent['metadata'] } {
  const drafted = template.events.find((e) => e.type === 'ApplicationDrafted')!;
  const { prevHash: _prevHash, hash: _hash, ...metadata } = drafted.metadata;
  return { type: drafted.type, data: drafted.data as Record<string, unknown>, metadata: metadata as RecordedEvent['metadata'] };
}

/** Average events per copied application (see the mix above). */
export const EVENTS_PER_COPY = 0.3 * 4 + 0.1 * 5 + 0.6 * 6;

/**
 * Adds copies until the log holds at least `target` events; returns the count then.
 *
 * Each copy is its own application of its own user: a new application id, a new personal code (the
 * register is keyed by it: one user holding every copy's rights would make each batch read them all),
 * its own place in the queue (the signature's acceptedAt spread over the last year, not one shared
 * instant) and one of ten institutions (the template's in one copy out of ten, which the queue
 * query filters by). So the read models' indexes have the shapes real data gives them.
 */
export async function fillTo(store: PostgresEventStore, schema: string, template: Template, target: number): Promise<number> {
  const rows = template.events.map((e) => ({
    revision: e.revision.toString(), type: e.type, data: e.data, metadata: e.metadata, prev_hash: e.metadata.prevHash, hash: e.metadata.hash,
  }));
  const json = JSON.stringify(rows);
  const drafted = template.events.find((e) => e.type === 'ApplicationDrafted')!.data as { user: { personalCode: string }; institution: string };
  let count = Number((await store.sql.query<{ n: string }>(`select count(*)::text as n from ${schema}.events`))[0].n);
  while (count < target) {
    const copies = Math.max(1, Math.min(1000, Math.ceil((target - count) / EVENTS_PER_COPY)));
    const inserted = await store.sql.query<{ n: string }>(
      `with ins as (
         insert into ${schema}.events (stream, revision, id, type, data, metadata, prev_hash, hash)
         select 'application-' || a.id, t.revision, gen_random_uuid(), t.type,
                case when t.type = 'ApplicationSigned'
                     then jsonb_set(d.data, '{acceptedAt}', to_jsonb(to_char(a.queued_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
                     else d.data end,
                t.metadata, t.prev_hash, t.hash
           from (select gen_random_uuid() as id, g,
                        '32' || lpad((random() * 9999)::int::text, 4, '0') || '-' || lpad((random() * 99999)::int::text, 5, '0') as personal_code,
                        case when (g / 10) % 10 = 0 then $5 else '9100000' || lpad(((g / 10) % 10)::text, 4, '0') end as institution,
                        now() - random() * interval '365 days' as queued_at
                   from generate_series(1, $2::int) g) a
           cross join jsonb_to_recordset($3::jsonb) as t(revision bigint, type text, data jsonb, metadata jsonb, prev_hash text, hash text)
           cross join lateral (select replace(replace(replace(t.data::text, $1, a.id::text), $4, a.personal_code), $5, a.institution)::jsonb as data) d
          where t.revision <= case when a.g % 10 < 3 then 3 when a.g % 10 = 3 then 4 else 5 end
          order by a.g, t.revision
         returning 1)
       select count(*)::text as n from ins`,
      [template.applicationId, String(copies), json, drafted.user.personalCode, drafted.institution],
    );
    count += Number(inserted[0].n);
  }
  return count;
}
