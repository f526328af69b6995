/**
 * Reading FlowFilter field values for the matcher's predicate builders: list fields, type guards,
 * integers, and attributing compile errors to the field they are about.
 */
import type { Flow } from '../flow/flow';
import { FilterError } from './filter-error';
import type { FlowFilter } from './flow-filter';

/** One compiled field condition: true when the flow passes it. */
export type Check = (flow: Flow) => boolean;

/** Which endpoint of the flow an endpoint field (`source_pod`, `destination_ip`, ...) is about. */
export type Side = 'source' | 'destination';

/** Runs a compile step, attributing any FilterError without a field to `field`. */
export function inField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FilterError && e.field === undefined) throw new FilterError(e.message, field);
    throw e;
  }
}

/** A set list field's values; undefined when absent or empty (proto cannot tell the two apart). */
export function fieldValues<T>(filter: FlowFilter, field: keyof FlowFilter, valid: (v: unknown) => v is T, what: string): T[] | undefined {
  const raw: unknown = filter[field];
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new FilterError(`must be a list of ${what}`, field);
  for (const v of raw) if (!valid(v)) throw new FilterError(`invalid value ${JSON.stringify(v)}, expected ${what}`, field);
  return raw.length === 0 ? undefined : (raw as T[]);
}

/** Type guard for string list items. */
export const isString = (v: unknown): v is string => typeof v === 'string';
/** Type guard for boolean list items. */
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
/** Type guard for message (plain object) list items and filters. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Type guard for enum list items: a name or an integer. */
export const isEnumValue = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));

/** An integer field value (jsonpb also allows decimal strings) within [min, max]. */
export function integer(v: unknown, min: number, max: number, field: string): number {
  const n = typeof v === 'string' && /^-?[0-9]+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new FilterError(`invalid value ${JSON.stringify(v)}`, field);
  return n;
}
/** An unsigned integer field value up to `max`. */
export const uint = (v: unknown, max: number, field: string) => integer(v, 0, max, field);

/**
 * Pushes a check that a string list field holds the flow's value (an absent value counts as '').
 * `nonEmpty` rejects an empty string in the list, as Hubble does for names.
 */
export function compileStringSet(
  filter: FlowFilter, checks: Check[], field: keyof FlowFilter, get: (f: Flow) => string | undefined, nonEmpty = false,
): void {
  const list = fieldValues(filter, field, isString, 'strings');
  if (!list) return;
  if (nonEmpty && list.includes('')) throw new FilterError('name must not be empty', field);
  const set = new Set(list);
  checks.push((f) => set.has(get(f) ?? ''));
}
