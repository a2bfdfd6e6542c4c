/**
 * Positions are bigint in code and numeric(20) in SQL (EventStoreDB's are unsigned 64-bit, beyond
 * bigint), and cross the driver as decimal text, never as a JSON number.
 */
export const POSITION_SQL_TYPE = 'numeric(20,0)';

export function parsePosition(text: string | null | undefined): bigint {
  return text === null || text === undefined ? 0n : BigInt(text);
}

export function maxPosition(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
