import { pino, type Logger as PinoLogger, type DestinationStream, type LevelWithSilent } from 'pino';
import { paychaosError } from './errors.js';
import { redact, redactString } from './redact.js';

export { redact } from './redact.js';
export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Defaults to PAYCHAOS_LOG_LEVEL, else `info`. */
  level?: string;
  /** Bound on every line: runId, scenario, provider … */
  bindings?: Record<string, unknown>;
  /** Where NDJSON goes; defaults to stderr so stdout stays for summaries. */
  destination?: DestinationStream;
}

const LEVELS = new Set<string>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * A pino logger whose every line — merge object, message and bindings — passes through
 * `redact()`, so card numbers, CVCs, keys, signatures and Authorization headers never reach
 * the output, wherever they sit in the object.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.PAYCHAOS_LOG_LEVEL ?? 'info';
  if (!LEVELS.has(level)) {
    throw paychaosError('PAYCHAOS_ERR_LOG_BAD_LEVEL', `log level "${level}" is not one of ${[...LEVELS].join(', ')}`, { field: 'PAYCHAOS_LOG_LEVEL', value: level });
  }
  const logger = pino(
    {
      level: level as LevelWithSilent,
      base: { ...(redact(options.bindings ?? {}) as Record<string, unknown>) },
      timestamp: pino.stdTimeFunctions.isoTime,
      // formatters.log has already turned errors into redacted plain objects; pino's default
      // err serializer would re-read them and overwrite their type.
      serializers: { err: (e: unknown) => e },
      // pino's serializers run after formatters.log; turning errors into plain redacted objects
      // here means the stack and message are redacted too.
      formatters: {
        log: (obj) => redact(obj) as Record<string, unknown>,
        bindings: (bindings) => redact(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // The merge object (first) goes through formatters.log; interpolation arguments for
          // %s/%j/%o after the message never reach a formatter, so they are redacted here.
          const redacted = args.map((a, i) => (typeof a === 'string' ? redactString(a) : i > 0 && typeof a === 'object' && a !== null ? redact(a) : a));
          return method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
  // pino resets the bindings formatter on child loggers, so child bindings would escape it.
  // Children inherit from the root, so redefining child on the root covers the whole family.
  const protoChild = Object.getPrototypeOf(logger).child as Logger['child'];
  logger.child = function child(this: Logger, bindings, childOptions) {
    return protoChild.call(this, redact(bindings) as typeof bindings, childOptions);
  } as Logger['child'];
  return logger;
}
