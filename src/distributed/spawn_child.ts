// A process started by paddle.distributed.spawn: imports the module that exports the function,
// calls it with the JSON arguments, and reports the result or the error to the parent over IPC.
const mod = process.env.PADDLE_TS_SPAWN_MODULE!;
const name = process.env.PADDLE_TS_SPAWN_FUNC!;
const args = JSON.parse(process.env.PADDLE_TS_SPAWN_ARGS ?? '[]') as unknown[];
const send = (m: unknown): Promise<void> => new Promise((r) => process.send!(m, () => r()));
try {
  const m = (await import(mod)) as Record<string, unknown>;
  let f = m[name];
  if (typeof f !== 'function') f = Object.values(m).find((v) => typeof v === 'function' && (v as { name: string }).name === name);
  if (typeof f !== 'function') throw new Error(`paddle.distributed.spawn: module ${mod} does not export a function named '${name}'`);
  const result = await (f as (...a: unknown[]) => unknown)(...args);
  await send({ ok: true, result: result === undefined ? null : result });
  process.disconnect?.();
  process.exit(0);
} catch (e) {
  await send({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.disconnect?.();
  process.exit(1);
}
export {};
