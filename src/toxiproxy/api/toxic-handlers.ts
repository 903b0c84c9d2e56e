import type { Proxy } from '../proxy.js';
import type { Direction, ToxicWrapper } from '../toxic-wrapper.js';
import { toxicDefinition } from '../toxics/registry.js';
import type { Attributes, ToxicDefinition } from '../toxics/toxic.js';
import { ApiError, badRequestBody, invalidStream, invalidToxicType, toxicExists, toxicNotFound } from './api-error.js';
import { decodeBodyStruct, fieldValues, parseBody } from './body.js';
import { DecodeErrors, decodeStruct, type StructSpec } from './go-decode.js';
import type { GoJson } from './go-json.js';
import { jsonReply, noContent, type Reply } from './reply.js';
import { toxicJson, toxicsJson } from './serialize.js';

const WRAPPER_STRUCT: StructSpec = {
  goName: 'ToxicWrapper',
  fields: {
    name: { kind: 'string' },
    type: { kind: 'string' },
    stream: { kind: 'string' },
    toxicity: { kind: 'float32' },
    // First pass: Toxiproxy decodes attributes into a NoopToxic before it knows the type.
    attributes: { kind: 'opaque-object', goType: 'toxics.NoopToxic' },
  },
};
const UPDATE_GO_TYPE = 'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }';

export function listToxics(proxy: Proxy): Reply {
  return jsonReply(200, toxicsJson(proxy.toxics.list()));
}

export function getToxic(proxy: Proxy, name: string): Reply {
  const toxic = proxy.toxics.find(name);
  if (!toxic) throw toxicNotFound();
  return jsonReply(200, toxicJson(toxic));
}

/** Validation order as in Toxiproxy: JSON, stream, type, duplicate name, attribute types; then paychaos' guards. */
export async function createToxic(proxy: Proxy, body: Buffer): Promise<Reply> {
  const value = parseBody(body);
  const input: Record<string, unknown> = { name: '', type: '', stream: 'downstream', toxicity: 1 };
  decodeBodyStruct(value, WRAPPER_STRUCT, 'toxics.ToxicWrapper', input);
  const stream = input.stream as string;
  const lower = stream.toLowerCase();
  if (lower !== 'upstream' && lower !== 'downstream') throw invalidStream();
  const definition = toxicDefinition(input.type as string);
  if (!definition) throw invalidToxicType();
  const name = (input.name as string) || `${definition.type}_${stream}`;
  if (proxy.toxics.find(name)) throw toxicExists();
  const attributes = decodeAttributes(value, definition, zeroAttributes(definition));
  guard(definition, attributes);
  const toxic: ToxicWrapper = {
    name,
    type: definition.type,
    stream,
    direction: lower as Direction,
    definition,
    toxicity: input.toxicity as number,
    attributes: Object.freeze(attributes),
  };
  await proxy.toxics.add(toxic);
  return jsonReply(200, toxicJson(toxic));
}

/** Only attributes (merged into the current ones) and toxicity change; name, type and stream are ignored. */
export async function updateToxic(proxy: Proxy, name: string, body: Buffer): Promise<Reply> {
  const toxic = proxy.toxics.find(name);
  if (!toxic) throw toxicNotFound();
  const value = parseBody(body);
  const input: Record<string, unknown> = { toxicity: toxic.toxicity };
  decodeBodyStruct(value, { goName: '', fields: { toxicity: { kind: 'float32' } } }, UPDATE_GO_TYPE, input);
  const attributes = decodeAttributes(value, toxic.definition, { ...toxic.attributes });
  guard(toxic.definition, attributes);
  await proxy.toxics.update(toxic, input.toxicity as number, attributes);
  return jsonReply(200, toxicJson(toxic));
}

export async function deleteToxic(proxy: Proxy, name: string): Promise<Reply> {
  const toxic = proxy.toxics.find(name);
  if (!toxic) throw toxicNotFound();
  await proxy.toxics.remove(toxic);
  return noContent;
}

function zeroAttributes(definition: ToxicDefinition): Attributes {
  return Object.fromEntries(Object.keys(definition.attributes).map((k) => [k, 0]));
}

/** Decode every `attributes` object of the body into the toxic's Go struct (merging, as Go does). */
function decodeAttributes(value: GoJson, definition: ToxicDefinition, out: Attributes): Attributes {
  const spec: StructSpec = {
    goName: definition.goStruct,
    fields: Object.fromEntries(Object.entries(definition.attributes).map(([k, kind]) => [k, { kind }])),
  };
  const errors = new DecodeErrors();
  for (const attrs of fieldValues(value, 'attributes')) {
    if (attrs.kind === 'object') decodeStruct(attrs, spec, out, errors, 'attributes.');
    else if (attrs.kind !== 'null') errors.add(`json: cannot unmarshal ${attrs.kind} into Go struct field ${spec.goName}.attributes of type toxics.${definition.goStruct}`);
  }
  if (errors.first) throw badRequestBody(errors.first);
  return out;
}

function guard(definition: ToxicDefinition, attributes: Attributes): void {
  const problem = definition.validate?.(attributes);
  if (problem) throw new ApiError(400, `invalid toxic attribute attributes.${problem.attribute}: ${problem.message}`, 'PAYCHAOS_ERR_TOXIPROXY_BAD_ATTRIBUTE');
}
