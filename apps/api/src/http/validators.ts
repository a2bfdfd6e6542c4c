/**
 * The parameter rules every query shares, each refusing with the parameter's name before anything
 * reaches the store or SQL: a global position (unsigned 64-bit, as every store numbers its log), an
 * instant (ISO 8601 with a zone, a real calendar day, a year PostgreSQL holds) and a page size
 * written in plain digits.
 */
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isIsoInstant } from '@atlauja/domain';

export const MAX_POSITION = 2n ** 64n - 1n;

export function isPosition(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) <= MAX_POSITION;
}

/** A decimal global position from 0 to 2^64-1. */
export function IsPosition(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isPosition', validator: { validate: isPosition, defaultMessage: (args) => `${args?.property} must be a position: a decimal integer from 0 to ${MAX_POSITION}` } },
    options,
  );
}

/** An ISO 8601 instant with seconds optional and a zone (Z or ±HH:MM), on a real day of a year from 1 on. */
export function isInstant(value: unknown): value is string {
  return isIsoInstant(value) && Number(value.slice(0, 4)) >= 1;
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isInstant', validator: { validate: isInstant, defaultMessage: (args) => `${args?.property} must be an instant with a zone, e.g. 2026-03-01T10:00:00+02:00 or 2026-03-01T08:00:00Z` } },
    options,
  );
}

/**
 * A query's number as written: plain decimal digits become a number, anything else ("0x10", "1e1",
 * " 5", a repeated parameter) stays as given for @IsInt to refuse. A body's JSON number passes.
 */
export const DigitsToNumber = (): PropertyDecorator => Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value));
