/**
 * Every stream's name is made here and nowhere else: `<type>-<id>`. A name never carries a personal
 * code: the grant stream of a user is named by a pseudonym the caller derives (a keyed hash).
 */
export const STREAM_TYPES = ['application', 'institution', 'recertification', 'grant', 'logins'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

export const applicationStream = (applicationId: string): string => `application-${applicationId}`;
export const institutionStream = (registrationNumber: string): string => `institution-${registrationNumber}`;
export const recertificationStream = (campaignId: string): string => `recertification-${campaignId}`;
/** The grant in force for one user at one institution; `userRef` is the user's pseudonym, never the code. */
export const grantStream = (institution: string, userRef: string): string => `grant-${institution}-${userRef}`;
/** One stream per Riga calendar day of portal logins. */
export const loginsStream = (rigaDay: string): string => `logins-${rigaDay}`;

const NAMERS: Readonly<Record<StreamType, (id: string) => string>> = {
  application: applicationStream,
  institution: institutionStream,
  recertification: recertificationStream,
  grant: (id) => `grant-${id}`,
  logins: loginsStream,
};

/** The name of the stream of `type` with `id` (for a grant: `<institution>-<userRef>`). */
export function streamName(type: StreamType, id: string): string {
  return NAMERS[type](id);
}

/** The type and id of a stream name, or null for a name no stream type of ours makes. */
export function parseStreamName(stream: string): { type: StreamType; id: string } | null {
  const dash = stream.indexOf('-');
  if (dash <= 0) return null;
  const type = stream.slice(0, dash) as StreamType;
  const id = stream.slice(dash + 1);
  return STREAM_TYPES.includes(type) && id.length > 0 ? { type, id } : null;
}

/** The id of a stream of `type`, or null when the name is another type's. */
export function streamIdOf(stream: string, type: StreamType): string | null {
  const parsed = parseStreamName(stream);
  return parsed?.type === type ? parsed.id : null;
}
