/** The system's commands on an application (expiry, supersession, an end by merge or campaign), declared once. */
import { APPLICATION_STREAM, type ApplicationCommand, type ApplicationEvent, type ApplicationState, type EndCause, type ExpiryReason } from '@atlauja/domain';
import type { CommandEntry } from '../command-entry';

type ApplicationEntry<Input> = CommandEntry<Input, ApplicationState, ApplicationCommand, ApplicationEvent>;

const base = (c: { id: string; actor: ApplicationCommand['actor']; at: string }) => ({ applicationId: c.id, actor: c.actor, at: c.at });

// A process decides from the stream alone, so a lost race (a revocation meanwhile) is simply decided again.
export const APPLICATION_PROCESS_COMMANDS = {
  expire: {
    stream: APPLICATION_STREAM, expect: 'existing', retries: 3,
    build: (input: { reason: ExpiryReason }, c) => ({ type: 'ExpireApplication', ...base(c), reason: input.reason }),
  } satisfies ApplicationEntry<{ reason: ExpiryReason }>,

  supersede: {
    stream: APPLICATION_STREAM, expect: 'existing', retries: 3,
    build: (input: { supersededBy: string }, c) => ({ type: 'SupersedeApplication', ...base(c), supersededBy: input.supersededBy }),
  } satisfies ApplicationEntry<{ supersededBy: string }>,

  end: {
    stream: APPLICATION_STREAM, expect: 'existing', retries: 3,
    build: (input: { cause: EndCause; causeRef: string }, c) => ({ type: 'EndApplication', ...base(c), cause: input.cause, causeRef: input.causeRef }),
  } satisfies ApplicationEntry<{ cause: EndCause; causeRef: string }>,

  close: {
    stream: APPLICATION_STREAM, expect: 'existing', retries: 3,
    build: (input: { cause: EndCause; causeRef: string }, c) => ({ type: 'CloseApplication', ...base(c), cause: input.cause, causeRef: input.causeRef }),
  } satisfies ApplicationEntry<{ cause: EndCause; causeRef: string }>,
} as const;
