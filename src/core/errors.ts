// paddle.errors: the error classes, named after Paddle's error kinds, and the one helper
// every API uses to raise them with a message naming the API and the argument.

/** Base of every paddle-ts error. `api` is the API that failed (`paddle.sum`). */
export class PaddleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
export class InvalidArgumentError extends PaddleError {}
export class NotFoundError extends PaddleError {}
export class OutOfRangeError extends PaddleError {}
export class AlreadyExistsError extends PaddleError {}
export class ResourceExhaustedError extends PaddleError {}
export class PreconditionNotMetError extends PaddleError {}
export class PermissionDeniedError extends PaddleError {}
export class ExecutionTimeoutError extends PaddleError {}
export class UnimplementedError extends PaddleError {}
export class UnavailableError extends PaddleError {}
export class FatalError extends PaddleError {}
export class ExternalError extends PaddleError {}

type ErrorClass = new (message: string) => PaddleError;

/** Shows a value briefly in an error message: its type and, for small values, the value. */
export function describe(v: unknown): string {
  if (v === null) return 'None (null)';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `string '${v.length > 40 ? v.slice(0, 40) + '...' : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${String(v)}`;
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) {
    const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)) ?? '';
    return s.length > 60 ? `an array of length ${v.length}` : `array ${s}`;
  }
  const o = v as { constructor?: { name?: string }; dims?: number[]; dtype?: string };
  if (o.dims && o.dtype) return `${o.constructor?.name ?? 'Tensor'}(shape=[${o.dims.join(', ')}], dtype=${o.dtype})`;
  return o.constructor?.name ? `a ${o.constructor.name}` : 'an object';
}

/** Throws `cls` with "api: message". The single way APIs and operators report bad input. */
export function fail(api: string, message: string, cls: ErrorClass = InvalidArgumentError): never {
  throw new cls(`${api}: ${message}`);
}

/** Throws an InvalidArgumentError naming the argument, what was expected and what was given. */
export function badArg(api: string, arg: string, expected: string, got: unknown): never {
  return fail(api, `argument '${arg}' expected ${expected}, but got ${describe(got)}`);
}

/** Checks `cond`, otherwise fails with the message. */
export function check(cond: unknown, api: string, message: string, cls: ErrorClass = InvalidArgumentError): asserts cond {
  if (!cond) fail(api, message, cls);
}
