// The parameter-server operators, run by the executor itself (executorOps): send, recv,
// send_barrier, fetch_barrier and listen_and_serv (paddle/fluid/operators/distributed_ops).
// Variables are sent as blocks of rows (attr `sections`, Paddle's parameter_send/recv split).
import { allocStorage, type DType } from '../../core/dtype.js';
import { fail, PreconditionNotMetError, UnavailableError } from '../../core/errors.js';
import { defineOp, int, ints, bool, str, strs } from '../../ops/util.js';
import { Tensor } from '../../core/tensor.js';
import { Executor, executorOps, type ExecContext } from '../../static/executor.js';
import type { Operator } from '../../static/framework.js';
import { closeRpc, rpc, rpcStarted, rpcTimeoutMs } from './rpc.js';
import { BATCH_BARRIER_MESSAGE, COMPLETE_MESSAGE, FETCH_BARRIER_MESSAGE, type VariableMessage } from './wire.js';

// operator table entries (so programs can hold them; the executor runs them through executorOps)
const none = () => ({});
defineOp({ type: 'send', inputs: ['X[]'], outputs: ['Out[]?'] as never, attrs: { epmap: strs([]), send_varnames: strs([]), sections: ints([]), trainer_id: int(0) }, infer: none });
defineOp({ type: 'recv', inputs: ['X[]?'] as never, outputs: ['Out[]'], attrs: { epmap: strs([]), recv_varnames: strs([]), sections: ints([]), trainer_id: int(0) }, infer: none });
defineOp({ type: 'send_barrier', inputs: ['X[]?'] as never, outputs: ['Out[]?'] as never, attrs: { endpoints: strs([]), trainer_id: int(0) }, infer: none });
defineOp({ type: 'fetch_barrier', inputs: ['X[]?'] as never, outputs: ['Out[]?'] as never, attrs: { endpoints: strs([]), trainer_id: int(0) }, infer: none });
defineOp({
  type: 'listen_and_serv', inputs: ['X[]?'] as never, outputs: [],
  attrs: { endpoint: str('127.0.0.1:6174'), Fanin: int(1), sync_mode: bool(true), optimize_blocks: ints([]), grad_to_block_id: strs([]), pserver_id: int(0) },
  infer: none,
});

const OP = (t: string) => `operator ${t}`;

function bytesOf(t: Tensor): Uint8Array {
  const d = t.data as ArrayBufferView;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}
export function toMessage(varname: string, t: Tensor, trainer_id: number): VariableMessage {
  return { varname, trainer_id, data_type: t.dtype, dims: t.dims.slice(), type: 'LOD_TENSOR', serialized: bytesOf(t) };
}
export function fromMessage(m: VariableMessage): Tensor {
  const dtype = m.data_type as DType;
  const n = m.dims!.reduce((a, b) => a * b, 1);
  const s = allocStorage(dtype, n) as unknown as ArrayBufferView;
  new Uint8Array(s.buffer, s.byteOffset, s.byteLength).set(m.serialized!.subarray(0, s.byteLength));
  return new Tensor(s as never, m.dims!.slice(), dtype);
}

/** Rows [r0, r1) of t. */
function rows(t: Tensor, r0: number, r1: number): Tensor {
  const w = t.dims.slice(1).reduce((a, b) => a * b, 1);
  const per = t.data.length / Math.max(t.size, 1);
  return new Tensor(t.data.slice(r0 * w * per, r1 * w * per) as never, [r1 - r0, ...t.dims.slice(1)], t.dtype);
}

/** The pservers this trainer has talked to (COMPLETE goes to each at Executor.close). */
const contacted = new Set<string>();

executorOps.set('send', (op: Operator, ctx: ExecContext) => {
  const eps = op.attr('epmap') as string[], names = op.attr('send_varnames') as string[], sections = op.attr('sections') as number[];
  const tid = Number(op.attr('trainer_id') ?? 0);
  const x = ctx.scope.find_var(op.input('X')[0]) as Tensor | undefined;
  if (!x) fail(OP('send'), `variable '${op.input('X')[0]}' holds no value`, PreconditionNotMetError);
  let r = 0;
  names.forEach((name, i) => {
    const part = names.length === 1 ? x : rows(x, r, r + sections[i]);
    r += sections[i] ?? 0;
    contacted.add(eps[i]);
    rpc().call(OP('send'), eps[i], 'SendVariable', toMessage(name, part, tid));
  });
});

executorOps.set('recv', (op: Operator, ctx: ExecContext) => {
  const eps = op.attr('epmap') as string[], names = op.attr('recv_varnames') as string[];
  const tid = Number(op.attr('trainer_id') ?? 0);
  const parts = names.map((name, i) => {
    contacted.add(eps[i]);
    return fromMessage(rpc().call(OP('recv'), eps[i], 'GetVariable', { varname: name, trainer_id: tid }));
  });
  let out = parts[0];
  if (parts.length > 1) {
    const total = parts.reduce((a, p) => a + p.dims[0], 0);
    const s = allocStorage(out.dtype, parts.reduce((a, p) => a + p.size, 0));
    let off = 0;
    for (const p of parts) { (s as unknown as { set(a: unknown, o: number): void }).set(p.data, off); off += p.data.length; }
    out = new Tensor(s, [total, ...out.dims.slice(1)], out.dtype);
  }
  const v = ctx.block._find_var_recursive(op.output('Out')[0]);
  if (v && v.dims.length && v.dims.every((d) => d >= 0) && v.dims.reduce((a, b) => a * b, 1) === out.size) out = new Tensor(out.data, v.dims.slice(), out.dtype);
  ctx.write(op.output('Out')[0], out);
});

for (const [type, msg] of [['send_barrier', BATCH_BARRIER_MESSAGE], ['fetch_barrier', FETCH_BARRIER_MESSAGE]] as const) {
  executorOps.set(type, (op: Operator) => {
    const tid = Number(op.attr('trainer_id') ?? 0);
    for (const ep of op.attr('endpoints') as string[]) {
      contacted.add(ep);
      rpc().call(OP(type), ep, 'SendVariable', { varname: msg, trainer_id: tid });
    }
  });
}

// Executor.close on a trainer tells every pserver it talked to that it is done (Paddle's
// Executor.close -> SendComplete); the pservers exit when every trainer has.
const proto = Executor.prototype as unknown as { close: () => void; __psWrapped?: boolean };
if (!proto.__psWrapped) {
  const orig = proto.close;
  proto.close = function (this: Executor) {
    if (rpcStarted() && contacted.size) {
      const tid = Number(process.env.PADDLE_TRAINER_ID ?? 0);
      for (const ep of contacted) {
        try { rpc().call('Executor.close', ep, 'SendVariable', { varname: COMPLETE_MESSAGE, trainer_id: tid }, 10000); } catch { /* the pserver is gone */ }
      }
      contacted.clear();
      closeRpc();
    }
    orig.call(this);
  };
  proto.__psWrapped = true;
}

/**
 * The pserver's loop. Sync mode, per step: accept every trainer's gradient blocks (stored as
 * `<grad>.trainer_<id>` when there are several trainers) until each sent its batch barrier, run
 * the optimize blocks, then answer GetVariable until each trainer sent its fetch barrier (sends
 * arriving meanwhile wait). Async mode: each gradient runs its optimize block at once; gets are
 * answered at any time. Returns when every trainer sent COMPLETE.
 */
executorOps.set('listen_and_serv', (op: Operator, ctx: ExecContext) => {
  const api = OP('listen_and_serv');
  const epAttr = op.attr('endpoint');
  const endpoint = Array.isArray(epAttr) ? String(epAttr[0]) : String(epAttr);
  const fanin = Number(op.attr('Fanin'));
  const sync = Boolean(op.attr('sync_mode'));
  const program = ctx.block.program;
  const optBlocks = (op.attr('optimize_blocks') as number[]).map((i) => program.block(i));
  const gradToBlock = new Map<string, number>();
  for (const s of op.attr('grad_to_block_id') as string[]) {
    const i = s.lastIndexOf(':');
    gradToBlock.set(s.slice(0, i), Number(s.slice(i + 1)));
  }
  const r = rpc();
  r.serve(api, endpoint);
  const idle = rpcTimeoutMs() * 3;
  let phase: 'get' | 'send' = 'get';
  let batch = new Set<number>(), fetch = new Set<number>();
  const complete = new Set<number>();
  const deferred: { id: number; method: string; msg: VariableMessage }[] = [];
  const runOptimize = (): void => { for (const b of optBlocks) ctx.runBlock(b, ctx.scope); };

  const handle = (q: { id: number; method: string; msg: VariableMessage }): boolean => {
    const m = q.msg, tid = m.trainer_id ?? 0;
    if (q.method === 'SendVariable') {
      if (m.varname === COMPLETE_MESSAGE) {
        complete.add(tid);
        // a finished trainer no longer takes part in the barriers
        r.reply(q.id, null);
        return true;
      }
      if (m.varname === FETCH_BARRIER_MESSAGE) {
        fetch.add(tid);
        r.reply(q.id, null);
        return true;
      }
      if (sync && phase === 'get') return false;
      if (m.varname === BATCH_BARRIER_MESSAGE) {
        batch.add(tid);
        r.reply(q.id, null);
        return true;
      }
      const t = fromMessage(m);
      if (sync) {
        ctx.scope.set(fanin > 1 ? `${m.varname}.trainer_${tid}` : m.varname, t);
      } else {
        ctx.scope.set(m.varname, t);
        const b = gradToBlock.get(m.varname);
        if (b !== undefined) ctx.runBlock(program.block(b), ctx.scope);
      }
      r.reply(q.id, null);
      return true;
    }
    if (q.method === 'GetVariable' || q.method === 'GetVariableNoBarrier') {
      if (sync && phase === 'send' && q.method === 'GetVariable') return false;
      const v = ctx.scope.find_var(m.varname) as Tensor | undefined;
      if (!v) r.reply(q.id, null, `pserver ${endpoint} has no variable '${m.varname}'`);
      else r.reply(q.id, toMessage(m.varname, v, tid));
      return true;
    }
    r.reply(q.id, null, `${q.method} is not supported by this pserver`);
    return true;
  };
  const active = (s: Set<number>): boolean => {
    for (let t = 0; t < fanin; t++) if (!s.has(t) && !complete.has(t)) return false;
    return true;
  };
  while (complete.size < fanin) {
    const q = r.nextRequest(idle);
    if (!q) fail(api, `no request for ${idle} ms: the trainers are gone`, UnavailableError);
    if (!handle(q)) deferred.push(q);
    // phase changes (sync mode), then retry what waited
    for (let changed = true; changed;) {
      changed = false;
      if (sync && phase === 'get' && active(fetch)) { phase = 'send'; fetch = new Set(); changed = true; }
      if (sync && phase === 'send' && active(batch) && (batch.size > 0)) { runOptimize(); phase = 'get'; batch = new Set(); changed = true; }
      if (changed) {
        const again = deferred.splice(0);
        for (const d of again) if (!handle(d)) deferred.push(d);
      }
    }
  }
  for (const d of deferred) r.reply(d.id, null, 'the pserver is shutting down');
  closeRpc();
});
