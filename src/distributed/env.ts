// The environment contract of Paddle's launcher (PADDLE_TRAINER_ID, PADDLE_TRAINERS_NUM,
// PADDLE_TRAINER_ENDPOINTS, PADDLE_CURRENT_ENDPOINT, FLAGS_selected_gpus) and ParallelEnv.

const env = (k: string): string | undefined => {
  const v = process.env[k];
  return v === undefined || v === '' ? undefined : v;
};

/**
 * The parallel job's environment as the launcher set it (Paddle's `paddle.distributed.ParallelEnv`).
 * @example const e = new paddle.distributed.ParallelEnv(); console.log(e.rank, e.world_size)
 */
export class ParallelEnv {
  /** This process's rank (PADDLE_TRAINER_ID, default 0). */
  get rank(): number { return Number(env('PADDLE_TRAINER_ID') ?? 0); }
  /** The number of processes (PADDLE_TRAINERS_NUM, default 1). */
  get world_size(): number { return Number(env('PADDLE_TRAINERS_NUM') ?? 1); }
  /** The device id (FLAGS_selected_gpus, default 0; CPU-only here). */
  get device_id(): number { return Number((env('FLAGS_selected_gpus') ?? '0').split(',')[0]); }
  /** This process's endpoint "ip:port" (PADDLE_CURRENT_ENDPOINT). */
  get current_endpoint(): string { return env('PADDLE_CURRENT_ENDPOINT') ?? ''; }
  /** Every trainer's endpoint (PADDLE_TRAINER_ENDPOINTS, comma-separated). */
  get trainer_endpoints(): string[] { return (env('PADDLE_TRAINER_ENDPOINTS') ?? '').split(',').filter((s) => s); }
  /** Alias of rank (1.x name). */
  get local_rank(): number { return this.rank; }
  /** Alias of world_size (1.x name). */
  get nranks(): number { return this.world_size; }
  /** Alias of device_id (1.x name). */
  get dev_id(): number { return this.device_id; }
}

/** The parsed environment. */
export const parallelEnv = new ParallelEnv();

/** Splits "host:port". */
export function splitEndpoint(ep: string, what: string): { host: string; port: number } {
  const i = ep.lastIndexOf(':');
  const port = Number(ep.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`${what}: bad endpoint '${ep}' (expected ip:port)`);
  return { host: ep.slice(0, i), port };
}
