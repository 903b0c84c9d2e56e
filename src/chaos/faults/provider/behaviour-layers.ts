import { isPaychaosError, paychaosError } from '../../../kernel/index.js';
import { once, type Undo } from '../fault-step.js';

/**
 * Provider steps change a simulator's behaviour profile through its own control API
 * (`GET`/`PUT /__sim/behaviour`). Several steps may overlap on one simulator, so each is a
 * layer: the profile read before the first layer is the base, and after every change the
 * simulator gets the base with the active layers merged over it in the order they began. When
 * the last layer ends, the base goes back exactly as it was read.
 *
 *   base ──┬── + A ──┬── + A + B ──┬── + B ──┬── base
 *        A starts  B starts      A ends    B ends
 *
 * Changes to one simulator run one at a time: a profile read before another step's write
 * would otherwise be stale.
 */
type Profile = Record<string, unknown>;

interface Layers {
  readonly base: Profile;
  readonly active: Array<{ readonly id: string; readonly patch: Profile }>;
}

const layersByUrl = new Map<string, Layers>();
const queues = new Map<string, Promise<unknown>>();

/** A request to the simulator may take this long before it counts as failed. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Merge a patch over a profile: top-level fields replace, `webhooks` merges field by field. */
export function mergeProfile(base: Profile, patch: Profile): Profile {
  const out: Profile = { ...base, ...patch };
  if (isObject(base.webhooks) && isObject(patch.webhooks)) out.webhooks = { ...base.webhooks, ...patch.webhooks };
  return out;
}

/** Read the simulator's current profile (also the pre-run check that it answers). */
export async function readProfile(url: string, signal?: AbortSignal): Promise<Profile> {
  const body = await call(url, 'GET', undefined, signal);
  if (!isObject(body) || !isObject(body.profile)) throw providerRequestFailed(url, 'GET', 'the answer has no `profile` object: is this a paychaos simulator?');
  return body.profile;
}

/**
 * Add `patch` as a layer named `id` on the simulator at `url`; resolves once it is in force. The
 * undo's `observed` is how often the simulator acted on the patch's fault fields between the write
 * that put the layer in force and the one that took it away (its `fired` counts, which every
 * PUT answers with): another step's layer setting the same field at the same time counts there
 * too. Undefined before the undo, or from a simulator that does not count.
 */
export async function addLayer(url: string, id: string, patch: Profile, signal: AbortSignal): Promise<Undo> {
  let before: Fired | undefined;
  let after: Fired | undefined;
  await oneAtATime(url, async () => {
    let layers = layersByUrl.get(url);
    if (!layers) {
      layers = { base: await readProfile(url, signal), active: [] };
      layersByUrl.set(url, layers);
    }
    layers.active.push({ id, patch });
    try {
      before = await write(url, layers, signal);
    } catch (err) {
      remove(layers, id);
      // Nothing else active: the simulator still holds the base; forget it.
      if (layers.active.length === 0) layersByUrl.delete(url);
      throw err;
    }
  });
  // The undo ignores the run's abort signal: it is what teardown after an abort relies on.
  return once(
    () =>
      oneAtATime(url, async () => {
        const layers = layersByUrl.get(url);
        if (!layers || !remove(layers, id)) return;
        if (layers.active.length === 0) layersByUrl.delete(url);
        after = await write(url, layers);
      }),
    () => {
      if (!before || !after) return undefined;
      // The patch's fields the simulator counts; a latency or webhook patch has none: nothing to tell.
      const counted = Object.keys(patch).filter((f) => f in after! && f in before!);
      // Counts lower than at the start: the simulator was restarted meanwhile (a kill step), counting from 0 again.
      return counted.length > 0 ? Object.fromEntries(counted.map((f) => [f, after![f]! >= before![f]! ? after![f]! - before![f]! : after![f]!])) : undefined;
    },
  );
}

/** A simulator's `fired` counts (simulators/core/behaviour.ts FiredCounts), by profile field. */
type Fired = Readonly<Record<string, number>>;

/** The `fired` counts of a behaviour answer; undefined when it carries none. */
function firedOf(body: unknown): Fired | undefined {
  if (!isObject(body) || !isObject(body.fired)) return undefined;
  return Object.fromEntries(Object.entries(body.fired).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

function remove(layers: Layers, id: string): boolean {
  const at = layers.active.findIndex((l) => l.id === id);
  if (at >= 0) layers.active.splice(at, 1);
  return at >= 0;
}

/** Put the base with the active layers on the simulator; its fault counts as the write left them. */
async function write(url: string, layers: Layers, signal?: AbortSignal): Promise<Fired | undefined> {
  const profile = layers.active.reduce((p, l) => mergeProfile(p, l.patch), layers.base);
  return firedOf(await call(url, 'PUT', profile, signal));
}

function oneAtATime<T>(url: string, op: () => Promise<T>): Promise<T> {
  const next = (queues.get(url) ?? Promise.resolve()).then(op, op);
  const settled = next.catch(() => {});
  queues.set(url, settled);
  void settled.then(() => {
    if (queues.get(url) === settled) queues.delete(url);
  });
  return next;
}

async function call(url: string, method: 'GET' | 'PUT', body: unknown, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    throw providerRequestFailed(url, method, err instanceof Error ? err.message : String(err), err);
  }
  const text = await res.text();
  const json = parseJson(text);
  if (res.ok) return json;
  // 400: the simulator judged the merged profile invalid; its problems name the fields.
  const error = isObject(json) && isObject(json.error) ? json.error : undefined;
  if (res.status === 400 && error && Array.isArray(error.problems)) {
    const problems = (error.problems as Array<{ path?: unknown; message?: unknown }>).map((p) => `profile.${String(p.path)}: ${String(p.message)}`);
    throw paychaosError('PAYCHAOS_ERR_CHAOS_BAD_FAULT', `the simulator at ${url} refused the behaviour: ${problems.join('; ')}`, { problems, url });
  }
  throw providerRequestFailed(url, method, `HTTP ${res.status} ${text.slice(0, 200)}`);
}

function providerRequestFailed(url: string, method: string, reason: string, cause?: unknown) {
  if (isPaychaosError(cause)) return cause;
  return paychaosError('PAYCHAOS_ERR_CHAOS_PROVIDER_REQUEST', `${method} ${url} failed: ${reason}`, { url, method }, cause === undefined ? undefined : { cause });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
