/**
 * Commands carry their time as an ISO instant in Riga's own offset (e.g. 2026-11-23T01:30:00+02:00):
 * the domain takes "today" from the date as written, and a Latvian deadline ends at Riga midnight.
 * One Riga calendar serves the api and the projections (libs/projections/src/rights-over-time/riga-calendar.ts).
 */
export { rigaInstantOf as rigaInstant } from '@atlauja/projections';
