import { Inject, Injectable } from '@nestjs/common';
import { foldStream, loadStream, type Loaded } from '@atlauja/command-handler';
import { APPLICATION_STREAM, applicationStream, institutionStream, type ApplicationState } from '@atlauja/domain';
import type { EventStore, RecordedEvent } from '@atlauja/event-store';
import { LRUCache } from 'lru-cache';
import { EVENT_STORE } from '../store/tokens';

export type LoadedApplication = Loaded<ApplicationState>;

/** Applications whose institution this process remembers; beyond it, a command reads in two steps as on first sight. */
const INSTITUTIONS_KEPT = 10_000;

/**
 * Reads an application's stream and folds it, for the queries that answer from the stream itself.
 *
 * It also remembers each application's institution: fixed by the draft and never changed, so that a
 * command or a query on a known application reads the institution's stream (the registry's exact
 * word) in the same statement as the application's, instead of after it.
 */
@Injectable()
export class ApplicationStream {
  private readonly institutions = new LRUCache<string, string>({ max: INSTITUTIONS_KEPT });

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  load(id: string): Promise<LoadedApplication> {
    return loadStream(this.store, applicationStream(id), APPLICATION_STREAM.decider);
  }

  /** The application and, when its institution is known here, that institution's stream, in one read. */
  async loadWithInstitution(id: string): Promise<{ loaded: LoadedApplication; institutionEvents?: readonly RecordedEvent[] }> {
    const institution = this.institutionOf(id);
    if (institution === undefined) {
      const loaded = await this.load(id);
      this.remember(id, loaded.state);
      return { loaded };
    }
    const read = await this.store.readStreams([applicationStream(id), institutionStream(institution)]);
    const loaded = foldStream(read.get(applicationStream(id)) ?? [], APPLICATION_STREAM.decider);
    // Remembered from this application's own stream: a mismatch cannot happen, and if it did the stream would win.
    return loaded.state.institution === institution ? { loaded, institutionEvents: read.get(institutionStream(institution)) } : { loaded };
  }

  /** The institution of an application this process has seen, if it still remembers it. */
  institutionOf(id: string): string | undefined {
    return this.institutions.get(id);
  }

  remember(id: string, state: ApplicationState): void {
    if (state.institution) this.institutions.set(id, state.institution);
  }
}
