/**
 * A FlowsResponse as its jsonpb line, exactly `JSON.stringify(response)` (lib's flowsResponseToJson),
 * built faster for flows that share frozen parts: the relay client's decoder shares one frozen
 * object per distinct endpoint (server/hubble/flows-response-decoder.ts), and the JSON of such a
 * part is made once and reused. JSON.stringify of an object is its own enumerable keys in order,
 * each value stringified and undefined values left out, which is what this does one level down;
 * response-json.test.ts holds the two equal.
 */
import type { FlowsResponse } from '../../lib/flow/flow';

/** JSON of frozen parts; frozen objects cannot change, and the map lets them go with their flows. */
const frozenJson = new WeakMap<object, string>();

function valueJson(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || !Object.isFrozen(value)) return JSON.stringify(value);
  let json = frozenJson.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    frozenJson.set(value, json);
  }
  return json;
}

/** `{"key":value,...}` of an object whose values may be frozen parts. */
function objectJson(object: Record<string, unknown>): string {
  let out = '{';
  for (const key of Object.keys(object)) {
    const json = valueJson(object[key]);
    if (json === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${json}`;
  }
  return `${out}}`;
}

/** The response as one jsonpb line (without the newline). */
export function responseJson(response: FlowsResponse): string {
  const { flow } = response;
  if (flow === undefined || flow === null || typeof flow !== 'object') return JSON.stringify(response);
  let out = '{';
  for (const key of Object.keys(response)) {
    const value = (response as Record<string, unknown>)[key];
    const json = key === 'flow' ? objectJson(flow as Record<string, unknown>) : valueJson(value);
    if (json === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${json}`;
  }
  return `${out}}`;
}
