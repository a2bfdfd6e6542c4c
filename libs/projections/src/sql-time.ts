/** A timestamptz column read back as an ISO-8601 UTC instant with milliseconds, the one way every read model renders time. */
export const isoText = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
