import { Injectable } from '@nestjs/common';
import { auditStream, selectStreams, stateAt, streamsOfUser, PointInTimeError, type PointInTime } from '@atlauja/audit';
import type { RecordedEvent } from '@atlauja/event-store';
import type { Principal } from '@atlauja/auth';
import { applicationStream, institutionStream } from '@atlauja/domain';
import { applicationView, disclosureFor, type ApplicationView } from '../applications/application-view';
import { problem, ProblemError } from '../http/problem';
import { AuditSources } from './audit-sources';
import { historyView, signatureView, type ApplicationHistory, type SignatureView, type StreamHistory } from './audit-views';

const applicationIdOf = (stream: string): string => stream.slice(applicationStream('').length);

/** The auditor's questions, answered from the event store (never the read models): the record itself. */
@Injectable()
export class AuditQueries {
  constructor(private readonly sources: AuditSources) {}

  async applicationHistory(applicationId: string, principal: Principal): Promise<ApplicationHistory> {
    return this.historyOf(applicationStream(applicationId), principal, await this.read(applicationId));
  }

  async userHistory(personalCode: string, principal: Principal): Promise<{ applications: ApplicationHistory[] }> {
    return this.histories(await streamsOfUser(this.sources.store, personalCode), principal);
  }

  /** Every stream placed at the institution: its applications, and its own registry stream and its campaigns (and any other stream naming it). */
  async institutionHistory(institution: string, principal: Principal): Promise<{ institution: string; applications: ApplicationHistory[]; streams: StreamHistory[] }> {
    const streams = await selectStreams(this.sources.store, { institution });
    const { applications } = await this.histories(streams.filter((s) => s.startsWith(applicationStream(''))), principal);
    const others: StreamHistory[] = [];
    for (const stream of streams.filter((s) => !s.startsWith(applicationStream('')))) {
      const read = await this.sources.store.readStream(stream);
      if (read.found) others.push(historyView(read.events, auditStream(stream, read.events, { trust: this.sources.trust() }), principal));
    }
    // The institution's own stream first, then the rest in the order they began.
    others.sort((a, b) => Number(b.stream === institutionStream(institution)) - Number(a.stream === institutionStream(institution)));
    return { institution, applications, streams: others };
  }

  async stateAt(applicationId: string, point: PointInTime, principal: Principal): Promise<ApplicationView & { asOf: { revision: string | null; occurredAt: string | null } }> {
    const events = await this.read(applicationId);
    try {
      const at = stateAt(events, point);
      const view = applicationView(at.state, at.revision ?? -1n, disclosureFor(principal, at.state, false));
      return { ...view, asOf: { revision: at.revision?.toString() ?? null, occurredAt: at.occurredAt } };
    } catch (error) {
      if (!(error instanceof PointInTimeError)) throw error;
      // A time the record holds that cannot be read is the record's fault (the audit names it), not the request's.
      const status = error.code === 'REVISION_BEYOND_HEAD' ? 404 : error.code === 'EVENT_TIME_INVALID' ? 422 : 400;
      throw new ProblemError(problem(status, 'No such point in time', { code: error.code, detail: error.message }));
    }
  }

  async signatures(applicationId: string): Promise<{ applicationId: string; signatures: SignatureView[] }> {
    const events = await this.read(applicationId);
    const audit = auditStream(applicationStream(applicationId), events, { trust: this.sources.trust() });
    return { applicationId, signatures: audit.signatures.map(({ signature, reverification }) => signatureView(signature, reverification)) };
  }

  private async read(applicationId: string): Promise<RecordedEvent[]> {
    const read = await this.sources.store.readStream(applicationStream(applicationId));
    if (!read.found) throw new ProblemError(problem(404, 'Application not found'));
    return read.events;
  }

  private historyOf(stream: string, principal: Principal, events: RecordedEvent[]): ApplicationHistory {
    const audit = auditStream(stream, events, { trust: this.sources.trust() });
    return { applicationId: applicationIdOf(stream), ...historyView(events, audit, principal) };
  }

  private async histories(streams: string[], principal: Principal): Promise<{ applications: ApplicationHistory[] }> {
    const applications: ApplicationHistory[] = [];
    for (const stream of streams) {
      const read = await this.sources.store.readStream(stream);
      if (read.found) applications.push(this.historyOf(stream, principal, read.events));
    }
    return { applications };
  }
}
