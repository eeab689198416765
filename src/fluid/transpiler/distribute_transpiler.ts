// fluid.DistributeTranspiler and DistributeTranspilerConfig (Paddle 2.0's
// python/paddle/fluid/transpiler/distribute_transpiler.py, pserver mode): splits a program
// with optimizer operators into a trainer program (forward/backward, then send the gradients,
// send_barrier, recv the parameters, fetch_barrier) and one pserver program per endpoint
// (listen_and_serv + one optimize block per parameter block). Variables with at least
// 2 * min_block_size elements are cut into row blocks (slice_var_up), which are placed on the
// pservers round-robin.
import { fail, InvalidArgumentError, PreconditionNotMetError } from '../../core/errors.js';
import { OpRole, Program, type Block, type Operator, type Variable } from '../../static/framework.js';
import { default_main_program, default_startup_program } from '../../static/mode.js';
import '../../distributed/ps/ops.js';

const API = 'fluid.DistributeTranspiler';

/** The transpiler's options (Paddle's defaults). */
export class DistributeTranspilerConfig {
  slice_var_up = true;
  split_method: string | null = null; // RoundRobin
  min_block_size = 8192;
  enable_dc_asgd = false;
  mode = 'pserver';
  print_log = false;
  wait_port = true;
  runtime_split_send_recv = false;
  sync_mode = true;
  geo_sgd_mode = false;
  geo_sgd_need_push_nums = 100;
  nccl_comm_num = 1;
  use_hierarchical_allreduce = false;
  hierarchical_allreduce_inter_nranks = 0;
  collective_mode: string | null = null;
  completely_not_async = false;
}

/** One block of a variable: rows [row0, row0 + rows) placed on `ep`. */
interface VarBlock { name: string; block: number; row0: number; rows: number; ep: string }

/**
 * Paddle's slice_variable for one variable: the number of blocks (at most slice_count, each at
 * least min_block_size elements) and each block's row count (block sizes aligned to whole rows).
 */
export function sliceVariable(shape: number[], sliceCount: number, minBlockSize: number): number[] {
  const numel = shape.reduce((a, b) => a * b, 1);
  let split = sliceCount;
  let maxPs = Math.floor(numel / minBlockSize);
  if (maxPs === 0) maxPs = 1;
  if (maxPs < sliceCount) split = maxPs;
  let blockSize = Math.ceil(numel / split);
  const dim1 = shape.slice(1).reduce((a, b) => a * b, 1);
  if (shape.length >= 2 && blockSize % dim1 !== 0) blockSize += dim1 - (blockSize % dim1);
  split = Math.ceil(numel / blockSize);
  const out: number[] = [];
  for (let b = 0; b < split; b++) out.push(Math.min(blockSize, numel - b * blockSize) / dim1);
  return out;
}

interface OptInfo { op: Operator; param: Variable; grad: string; lr: string }

/**
 * Transpiles a single-process program for parameter-server training.
 * @example
 * const t = new fluid.DistributeTranspiler()
 * t.transpile(trainer_id, { pservers: '127.0.0.1:6174,127.0.0.1:6175', trainers: 2 })
 * const prog = role === 'PSERVER' ? t.get_pserver_program(ep) : t.get_trainer_program()
 */
export class DistributeTranspiler {
  config: DistributeTranspilerConfig;
  trainer_id = 0;
  trainer_num = 1;
  sync_mode = true;
  pserver_endpoints: string[] = [];
  origin_program: Program | null = null;
  origin_startup_program: Program | null = null;
  private opts: OptInfo[] = [];
  private blocks = new Map<string, VarBlock[]>(); // param name -> its blocks
  private trainerProgram: Program | null = null;

  constructor(config: DistributeTranspilerConfig | null = null) {
    this.config = config ?? new DistributeTranspilerConfig();
    if (this.config.split_method !== null && this.config.split_method !== 'RoundRobin')
      fail(API, `split_method ${this.config.split_method} is not supported (RoundRobin only)`, InvalidArgumentError);
  }

  /**
   * Splits `program` (default: the default main program) for `trainers` trainers and the
   * comma-separated `pservers` endpoints; the trainer's part of `startup_program` receives the
   * initial parameters from the pservers.
   */
  transpile(trainer_id: number, opts: { program?: Program | null; pservers?: string; trainers?: number | string; sync_mode?: boolean; startup_program?: Program | null; current_endpoint?: string } = {}): void {
    const program = opts.program ?? default_main_program();
    const startup = opts.startup_program ?? default_startup_program();
    const pservers = opts.pservers ?? '127.0.0.1:6174';
    const trainers = opts.trainers ?? 1;
    if (typeof trainers !== 'number' || !Number.isInteger(trainers) || trainers < 1)
      fail(API, `trainers must be a positive integer in pserver mode, got ${trainers}`, InvalidArgumentError);
    this.trainer_id = trainer_id;
    this.trainer_num = trainers;
    this.sync_mode = opts.sync_mode ?? this.config.sync_mode;
    this.pserver_endpoints = pservers.split(',').map((s) => s.trim()).filter((s) => s);
    if (!this.pserver_endpoints.length) fail(API, 'pservers lists no endpoint', InvalidArgumentError);
    this.origin_program = program;
    this.origin_startup_program = startup.clone();

    const block = program.global_block();
    this.opts = [];
    for (const op of block.ops) {
      if (!op.input_names.includes('Param') || !op.input_names.includes('Grad')) continue;
      const param = block.var(op.input('Param')[0]);
      this.opts.push({ op, param, grad: op.input('Grad')[0], lr: op.input_names.includes('LearningRate') ? op.input('LearningRate')[0] : '' });
    }
    if (!this.opts.length) fail(API, 'the program has no optimizer operator: call optimizer.minimize(loss) before transpile', PreconditionNotMetError);

    // slice and place round-robin
    const eps = this.pserver_endpoints;
    let rr = 0;
    this.blocks.clear();
    for (const o of this.opts) {
      const sections = this.config.slice_var_up ? sliceVariable(o.param.dims, eps.length, this.config.min_block_size) : [o.param.dims[0]];
      let row0 = 0;
      const list: VarBlock[] = sections.map((rows, b) => {
        const vb = { name: o.param.name, block: b, row0, rows, ep: eps[rr++ % eps.length] };
        row0 += rows;
        return vb;
      });
      this.blocks.set(o.param.name, list);
    }

    // the trainer program: no optimizer operators; send, barrier, recv, barrier
    const tp = program.clone();
    const tb = tp.global_block();
    for (let i = tb.ops.length - 1; i >= 0; i--) {
      const op = tb.ops[i];
      if (op.has_attr('op_role') && ((op.attr('op_role') as number) & OpRole.Optimize) !== 0) tb._remove_op(i);
    }
    const rpcRole = OpRole.RPC;
    for (const o of this.opts) {
      const list = this.blocks.get(o.param.name)!;
      tb.append_op({ type: 'send', inputs: { X: [tb.var(o.grad)] }, outputs: {}, attrs: {
        epmap: list.map((b) => b.ep), send_varnames: list.map((b) => blockName(o.grad, b, list.length)),
        sections: list.map((b) => b.rows), trainer_id, op_role: rpcRole } });
    }
    if (this.sync_mode) tb.append_op({ type: 'send_barrier', inputs: {}, outputs: {}, attrs: { endpoints: eps, trainer_id, op_role: rpcRole } });
    this.appendRecv(tb, trainer_id);
    this.trainerProgram = tp;
    // the trainer's startup: start from the pservers' parameters
    this.appendRecv(startup.global_block(), trainer_id);
  }

  private appendRecv(b: Block, trainer_id: number): void {
    for (const o of this.opts) {
      const list = this.blocks.get(o.param.name)!;
      if (!b.has_var(o.param.name)) b.create_var({ name: o.param.name, shape: o.param.dims, dtype: o.param.dtype, persistable: true });
      b.append_op({ type: 'recv', inputs: {}, outputs: { Out: [b.var(o.param.name)] }, attrs: {
        epmap: list.map((x) => x.ep), recv_varnames: list.map((x) => blockName(o.param.name, x, list.length)),
        sections: list.map((x) => x.rows), trainer_id, op_role: OpRole.RPC } });
    }
    if (this.sync_mode) b.append_op({ type: 'fetch_barrier', inputs: {}, outputs: {}, attrs: { endpoints: this.pserver_endpoints, trainer_id, op_role: OpRole.RPC } });
  }

  private need(api: string): void {
    if (!this.trainerProgram) fail(`${API}.${api}`, 'call transpile() first', PreconditionNotMetError);
  }

  /** The trainer's main program. */
  get_trainer_program(_wait_port = true): Program {
    this.need('get_trainer_program');
    return this.trainerProgram!;
  }

  /** The main program of the pserver at `endpoint`: listen_and_serv and its optimize blocks. */
  get_pserver_program(endpoint: string): Program {
    this.need('get_pserver_program');
    if (!this.pserver_endpoints.includes(endpoint)) fail(`${API}.get_pserver_program`, `endpoint ${endpoint} is not one of the pservers ${this.pserver_endpoints}`, InvalidArgumentError);
    const orig = this.origin_program!.global_block();
    const pp = new Program();
    const g = pp.global_block();
    const optimizeBlocks: number[] = [];
    const gradToBlock: string[] = [];
    const trainers = this.trainer_num;
    for (const o of this.opts) {
      const list = this.blocks.get(o.param.name)!;
      for (const vb of list) {
        if (vb.ep !== endpoint) continue;
        const n = list.length;
        const shape = [vb.rows, ...o.param.dims.slice(1)];
        const pname = blockName(o.param.name, vb, n), gname = blockName(o.grad, vb, n);
        const pv = g.create_var({ name: pname, shape, dtype: o.param.dtype, persistable: true });
        const gv = g.create_var({ name: gname, shape, dtype: o.param.dtype, persistable: false });
        if (o.lr && !g.has_var(o.lr)) { const l = orig.var(o.lr); g.create_var({ name: o.lr, shape: l.dims, dtype: l.dtype, persistable: true }); }
        const ob = pp._create_block(0);
        if (this.sync_mode && trainers > 1) {
          const parts = Array.from({ length: trainers }, (_, t) => g.create_var({ name: `${gname}.trainer_${t}`, shape, dtype: o.param.dtype }));
          ob.append_op({ type: 'sum', inputs: { X: parts }, outputs: { Out: [gv] }, attrs: {} });
          ob.append_op({ type: 'scale', inputs: { X: [gv] }, outputs: { Out: [gv] }, attrs: { scale: 1 / trainers } });
        }
        // the optimizer operator on the block; its other state (moments...) gets a copy per block
        const ins: Record<string, Variable[]> = {}, outs: Record<string, Variable[]> = {};
        const mapVar = (name: string): Variable => {
          if (name === o.param.name) return pv;
          if (name === o.grad) return gv;
          if (name === o.lr) return g.var(o.lr);
          const v = orig.var(name);
          const sameShape = v.dims.length === o.param.dims.length && v.dims.every((d, i) => d === o.param.dims[i]);
          const nm = blockName(name, vb, n);
          return g.has_var(nm) ? g.var(nm) : g.create_var({ name: nm, shape: sameShape ? shape : v.dims, dtype: v.dtype, persistable: true });
        };
        for (const s of o.op.input_names) ins[s] = o.op.input(s).map(mapVar);
        for (const s of o.op.output_names) outs[s] = o.op.output(s).map(mapVar);
        ob.append_op({ type: o.op.type, inputs: ins, outputs: outs, attrs: { ...o.op.all_attrs() } });
        pp._rollback();
        optimizeBlocks.push(ob.idx);
        gradToBlock.push(`${gname}:${ob.idx}`);
      }
    }
    g.append_op({ type: 'listen_and_serv', inputs: {}, outputs: {}, attrs: {
      endpoint, Fanin: trainers, sync_mode: this.sync_mode, optimize_blocks: optimizeBlocks, grad_to_block_id: gradToBlock,
      pserver_id: this.pserver_endpoints.indexOf(endpoint) } });
    return pp;
  }

  /** [pserver main program, its startup program]. */
  get_pserver_programs(endpoint: string): [Program, Program] {
    const p = this.get_pserver_program(endpoint);
    return [p, this.get_startup_program(endpoint, p)];
  }

  /**
   * The startup program of the pserver at `endpoint`: the original initializers of the variables
   * it holds, resized to each block (assign_value initializers keep the block's rows).
   */
  get_startup_program(endpoint: string, pserver_program: Program | null = null, _startup_program: Program | null = null): Program {
    this.need('get_startup_program');
    const pp = pserver_program ?? this.get_pserver_program(endpoint);
    const os = this.origin_startup_program!.global_block();
    const sp = new Program();
    const sb = sp.global_block();
    // pserver variable -> (original name, block)
    const origin = new Map<string, { name: string; vb: VarBlock | null; n: number }>();
    for (const o of this.opts) {
      const list = this.blocks.get(o.param.name)!;
      for (const vb of list) if (vb.ep === endpoint) for (const nm of [o.param.name, ...o.op.input_arg_names]) {
        if (nm === o.grad) continue;
        origin.set(blockName(nm, vb, list.length), { name: nm, vb: nm === o.lr ? null : vb, n: list.length });
      }
    }
    for (const v of pp.global_block().vars.values()) {
      if (!v.persistable) continue;
      const src = origin.get(v.name) ?? { name: v.name, vb: null, n: 1 };
      const init = os.ops.find((op) => op.output_arg_names.includes(src.name));
      if (!init) continue;
      const out = sb.create_var({ name: v.name, shape: v.dims, dtype: v.dtype, persistable: true });
      const attrs = { ...init.all_attrs() };
      if ('shape' in attrs) attrs.shape = v.dims.slice();
      if (init.type === 'assign_value' && src.vb && src.n > 1) {
        const w = v.dims.slice(1).reduce((a, b) => a * b, 1);
        for (const k of ['fp32_values', 'int32_values', 'int64_values', 'bool_values'])
          if (Array.isArray(attrs[k]) && (attrs[k] as unknown[]).length)
            attrs[k] = (attrs[k] as unknown[]).slice(src.vb.row0 * w, (src.vb.row0 + src.vb.rows) * w);
      }
      const outSlot = init.output_names.find((s) => init.output(s).includes(src.name))!;
      sb.append_op({ type: init.type, inputs: {}, outputs: { [outSlot]: [out] }, attrs });
    }
    return sp;
  }
}

/** A block's variable name: `name.block<i>` when the variable is split, else the name. */
function blockName(name: string, vb: VarBlock, n: number): string {
  return n > 1 ? `${name}.block${vb.block}` : name;
}
