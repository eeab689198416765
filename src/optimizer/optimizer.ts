// paddle.optimizer.Optimizer (python/paddle/optimizer/optimizer.py at 2.0): the base class of
// the 2.0 optimizers. In dygraph, `step()` collects every trainable parameter's gradient,
// clips it (grad_clip), adds weight decay (the parameter's own regularizer, else the
// optimizer's weight_decay), and runs the update operator (sgd, adam...) in place on the
// parameter and its accumulators, with the learning rate lr * param.optimize_attr.learning_rate.
// In static mode `minimize(loss)` appends the backward operators, then the same clipping,
// regularization and update operators to the program; the learning rate becomes a persistable
// variable and the accumulators persistable variables initialized by the startup program.
// Accumulators are named as Paddle names them (`linear_0.w_0_moment1_0`), so state_dict()
// maps one to one onto a Paddle `.pdopt` file.
//
// Parameter groups (a list of dicts with 'params' and optional 'learning_rate' (a multiplier
// of the optimizer's rate), 'weight_decay', 'grad_clip' and the optimizer's own settings such
// as 'beta1') follow later Paddle (2.2); Paddle 2.0 took a plain list only.
import { isPlainObject, makeParser, p, type CallArgs, type Ty } from '../core/args.js';
import { withoutGrad } from '../core/autograd.js';
import { T, tensorFromData } from '../core/convert.js';
import { dispatch } from '../core/dispatch.js';
import { DType, PROTO_DTYPE, convertStorage, getDefaultDType } from '../core/dtype.js';
import { describe, fail, InvalidArgumentError, NotFoundError, PreconditionNotMetError, UnimplementedError } from '../core/errors.js';
import { Slots } from '../core/registry.js';
import { sameShape, showShape } from '../core/shape.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { ClipGradBase } from '../nn/clip.js';
import * as c from '../ops/calls.js';
import { L2Decay, WeightDecayRegularizer } from '../regularizer.js';
import { append_regularization_ops } from './regularization.js';
import { append_backward } from '../static/backward.js';
import { Block, Operator, OpRole, Program, Variable } from '../static/framework.js';
import { default_main_program, default_startup_program, name_scope, program_guard, withRole } from '../static/mode.js';
import { generate } from '../static/unique_name.js';
import { LRScheduler } from './lr.js';

/** A parameter and its gradient (null: none). */
export type ParamGrad = [Tensor, Tensor | null];
/** A parameter group: the parameters and the settings that differ from the optimizer's. */
export interface ParamGroup {
  params: Tensor[];
  learning_rate?: number;
  weight_decay?: number | WeightDecayRegularizer | null;
  grad_clip?: ClipGradBase | null;
  [setting: string]: unknown;
}
/** What the optimizer state dict holds: accumulators, and the scheduler's state. */
export type OptimizerState = Record<string, unknown>;

/** The key of the dygraph learning-rate tensor in `_learning_rate_map`. */
const DYGRAPH = Symbol('dygraph');

const isTrainable = (t: Tensor): boolean => {
  const tr = (t as { trainable?: unknown }).trainable;
  return typeof tr === 'boolean' ? tr : !t.stop_gradient;
};
const paramLr = (t: Tensor): number | Tensor => (t as { optimize_attr?: { learning_rate?: number | Tensor } }).optimize_attr?.learning_rate ?? 1.0;

// ---------------------------------------------------------------------------------------
// Argument types shared by the optimizers.

/** learning_rate: a number or an LRScheduler. */
export const lrTy: Ty<number | LRScheduler> = {
  desc: 'a float or an LRScheduler',
  parse: (v, api, arg) =>
    typeof v === 'number' || v instanceof LRScheduler
      ? (v as number | LRScheduler)
      : fail(api, `${arg} should be float or LRScheduler, got ${describe(v)} here`),
};
/** parameters: a list of Tensors (names in static mode) or of parameter groups, or None. */
export const paramsTy: Ty<(Tensor | string | ParamGroup)[] | null> = {
  desc: 'a list of Tensors or of parameter groups (dicts with "params")',
  parse: (v, api, arg) => {
    if (v === null) return null;
    let list: unknown[];
    if (Array.isArray(v)) list = v.slice();
    else if (v instanceof Tensor || typeof v === 'string' || typeof (v as Iterable<unknown>)?.[Symbol.iterator] !== 'function')
      return fail(api, `argument '${arg}' expected a list of Tensors or of parameter groups, but got ${describe(v)}`);
    else list = [...(v as Iterable<unknown>)];
    const ok = list.every((x) => x instanceof Tensor || typeof x === 'string') || list.every((x) => isPlainObject(x));
    if (!ok) fail(api, `argument '${arg}' expected a list of Tensors or a list of parameter groups (dicts with 'params'), but got ${describe(v)}`);
    return list as (Tensor | string | ParamGroup)[];
  },
};
/** weight_decay: a float (L2 coefficient) or a regularizer, or None. */
export const weightDecayTy: Ty<number | WeightDecayRegularizer | null> = {
  desc: 'a float or a regularizer (L1Decay, L2Decay)',
  parse: (v, api, arg) =>
    v === null || typeof v === 'number' || v instanceof WeightDecayRegularizer
      ? (v as number | WeightDecayRegularizer | null)
      : fail(api, `argument '${arg}' expected a float or a regularizer (paddle.regularizer.L1Decay / L2Decay), but got ${describe(v)}`),
};
/** grad_clip: a ClipGradBy* object, or None. */
export const gradClipTy: Ty<ClipGradBase | null> = {
  desc: 'a ClipGradBy* object',
  parse: (v, api, _arg) =>
    v === null || v instanceof ClipGradBase
      ? (v as ClipGradBase | null)
      : fail(api, `'grad_clip' should be an instance of GradientClipBase's derived class (ClipGradByValue, ClipGradByNorm, ClipGradByGlobalNorm), but got ${describe(v)}`),
};

export const baseParams = [
  p('learning_rate', lrTy),
  p('parameters', paramsTy, null),
  p('weight_decay', weightDecayTy, null),
  p('grad_clip', gradClipTy, null),
  p('name', T.nullable(T.str), null),
] as const;
const parseBase = makeParser('paddle.optimizer.Optimizer', baseParams);

/** A float weight_decay means L2Decay(float). */
const toRegularizer = (w: number | WeightDecayRegularizer | null | undefined): WeightDecayRegularizer | null =>
  typeof w === 'number' ? new L2Decay(w) : (w ?? null);

/**
 * The base class of optimizers; use a subclass (SGD, Momentum, Adam...).
 * @param learning_rate a float or an LRScheduler
 * @param parameters the parameters to update (required in dygraph): a list of Tensors, or of
 *   parameter groups `{ params, learning_rate?, weight_decay?, grad_clip?, ... }`
 * @param weight_decay a float (L2 coefficient) or paddle.regularizer.L1Decay / L2Decay; a
 *   parameter's own ParamAttr regularizer wins over it
 * @param grad_clip a gradient clipping strategy (nn.ClipGradByValue / ByNorm / ByGlobalNorm)
 * @param name a prefix for the accumulators' names
 * @example
 * const adam = new paddle.optimizer.Adam({ learning_rate: 0.1, parameters: linear.parameters() })
 * loss.backward(); adam.step(); adam.clear_grad();
 */
export class Optimizer {
  /** Paddle's update operator type ('sgd', 'adam'...). */
  type = '';
  _parameter_list: (Tensor | string | ParamGroup)[] | null;
  _param_groups: (Tensor | string)[] | ParamGroup[];
  _name: string | null;
  regularization: WeightDecayRegularizer | null;
  _grad_clip: ClipGradBase | null;
  _learning_rate: number | LRScheduler;
  _dtype: DType | null = null;
  /** program (or dygraph) -> the learning-rate tensor. */
  _learning_rate_map = new Map<Program | symbol, Tensor>();
  /** accumulator name -> parameter name -> accumulator. */
  _accumulators = new Map<string, Map<string, Tensor>>();
  _opti_name_list: string[] = [];
  /** The state dict given to set_state_dict, for accumulators created later. */
  _accumulators_holder: OptimizerState = {};
  _default_dict: Record<string, unknown>;
  /** Alias of clear_grad. */
  clear_gradients: () => void;

  constructor(...args: unknown[]) {
    const a = parseBase(args) as {
      learning_rate: number | LRScheduler; parameters: (Tensor | string | ParamGroup)[] | null;
      weight_decay: number | WeightDecayRegularizer | null; grad_clip: ClipGradBase | null; name: string | null;
    };
    const api = `paddle.optimizer.${new.target.name}`;
    this._parameter_list = a.parameters;
    this._name = a.name;
    if (!state.staticMode) {
      if (this._parameter_list === null)
        fail(api, 'parameters argument given to the Optimizer should not be None in dygraph mode; pass parameters=net.parameters()');
      if (this._parameter_list.some((x) => typeof x === 'string'))
        fail(api, 'in dygraph mode, parameters must be Tensors (parameter names are for static mode)');
    }
    this.regularization = toRegularizer(a.weight_decay);
    this._grad_clip = a.grad_clip;
    this._learning_rate = a.learning_rate;
    this._default_dict = { weight_decay: this.regularization, grad_clip: this._grad_clip };
    this.clear_gradients = () => this.clear_grad();

    const list = this._parameter_list;
    if (list && list.length && isPlainObject(list[0])) {
      this._param_groups = [];
      for (const g of list as ParamGroup[]) {
        if (!('params' in g)) fail(api, 'params should be set in parameters if parameter groups are optimized in different options');
        this._add_param_group({ ...g }, api);
      }
      this._dtype = (this._param_groups as ParamGroup[])[0]?.params[0]?.dtype ?? null;
    } else {
      this._param_groups = (list ?? []) as (Tensor | string)[];
      const first = list?.[0];
      if (first instanceof Tensor) this._dtype = first.dtype;
    }
  }

  /** @internal Adds a parameter group (its weight_decay and learning_rate go onto its parameters, as later Paddle does). */
  _add_param_group(group: ParamGroup, api = 'Optimizer._add_param_group'): void {
    let params = group.params as unknown;
    if (params instanceof Tensor) params = [params];
    else if (params instanceof Set) fail(api, 'optimizer parameters should be in ordered collections, but received set, please use list instead.');
    else if (Array.isArray(params)) params = params.slice();
    else fail(api, `a parameter group's 'params' must be a list of Tensors, but got ${describe(params)}`);
    if (!(params as unknown[]).every((x) => x instanceof Tensor)) fail(api, "a parameter group's 'params' must hold Tensors only");
    group.params = params as Tensor[];
    for (const [k, v] of Object.entries(this._default_dict)) if (!(k in group)) group[k] = v;
    if (group.weight_decay !== null && group.weight_decay !== undefined) weightDecayTy.parse(group.weight_decay, api, "group['weight_decay']");
    if (group.grad_clip !== null && group.grad_clip !== undefined) gradClipTy.parse(group.grad_clip, api, "group['grad_clip']");
    const seen = new Set<Tensor>();
    for (const g of this._param_groups as ParamGroup[]) for (const q of g.params) seen.add(q);
    if (group.params.some((q) => seen.has(q))) fail(api, 'some parameters appear in more than one parameter group');
    const reg = toRegularizer(group.weight_decay as number | WeightDecayRegularizer | null);
    for (const q of group.params) {
      const r = q as Tensor & { regularizer?: unknown; optimize_attr?: { learning_rate: number } };
      r.regularizer = reg;
      if (r.optimize_attr) r.optimize_attr.learning_rate = group.learning_rate ?? 1.0;
      else r.optimize_attr = { learning_rate: group.learning_rate ?? 1.0 };
    }
    (this._param_groups as ParamGroup[]).push(group);
  }

  /** @internal Whether parameters were given as groups. */
  get _has_groups(): boolean {
    const g = this._param_groups;
    return g.length > 0 && isPlainObject(g[0]);
  }
  /** @internal Every parameter (flattened groups). */
  _all_parameters(): Tensor[] {
    if (this._has_groups) return (this._param_groups as ParamGroup[]).flatMap((g) => g.params);
    return (this._param_groups as (Tensor | string)[]).filter((x): x is Tensor => x instanceof Tensor);
  }
  /** @internal A setting of the group (if given there) or the optimizer's own. */
  _setting<V>(group: ParamGroup | null | undefined, key: string, own: V): V {
    return group && key in group && group[key] !== undefined ? (group[key] as V) : own;
  }

  private api(method: string): string {
    return `${this.constructor.name}.${method}`;
  }
  private dygraphOnly(method: string): void {
    if (state.staticMode) fail(this.api(method), `${method}() is only supported in dygraph mode (call paddle.disable_static() first)`, PreconditionNotMetError);
  }

  // -------------------------------------------------------------------------------------
  // State

  /**
   * The optimizer's state: every accumulator by its name (e.g. `linear_0.w_0_moment1_0`), and
   * `LR_Scheduler` (the scheduler's state) when the learning rate is an LRScheduler. Empty
   * until the first step creates the accumulators.
   * @example paddle.save(adam.state_dict(), 'adam.pdopt')
   */
  state_dict(): OptimizerState {
    this.dygraphOnly('state_dict');
    const out: OptimizerState = {};
    if (this._accumulators.size === 0 && Object.keys(this._accumulators_holder).length > 0) {
      // loaded but not stepped yet: what was loaded (as later Paddle)
      Object.assign(out, this._accumulators_holder);
    } else for (const m of this._accumulators.values()) for (const t of m.values()) out[t.name] = t;
    if (this._learning_rate instanceof LRScheduler) out.LR_Scheduler = this._learning_rate.state_dict();
    return out;
  }

  /**
   * Loads a state dict (from state_dict() or paddle.load of a `.pdopt` file): accumulators by
   * name, and the scheduler's state. Accumulators created later (before the first step) take
   * their values from it too.
   * @example adam.set_state_dict(paddle.load('adam.pdopt'))
   */
  set_state_dict(state_dict: OptimizerState | { state_dict: OptimizerState }): void {
    const api = this.api('set_state_dict');
    this.dygraphOnly('set_state_dict');
    let sd = state_dict as OptimizerState;
    if (isPlainObject(sd) && Object.keys(sd).length === 1 && isPlainObject(sd.state_dict)) sd = sd.state_dict as OptimizerState;
    if (!isPlainObject(sd)) fail(api, `argument 'state_dict' expected a dict, but got ${describe(sd)}`);
    if (this._learning_rate instanceof LRScheduler) {
      const s = sd.LR_Scheduler;
      if (!isPlainObject(s)) fail(api, "the state dict has no 'LR_Scheduler' entry for the optimizer's LRScheduler", NotFoundError);
      this._learning_rate.set_state_dict(s as Record<string, unknown>);
    }
    const holder = { ...sd };
    delete holder.LR_Scheduler;
    this._accumulators_holder = holder;
    for (const [accName, m] of this._accumulators)
      for (const [paramName, t] of m) {
        const key = holderKey(holder, t.name, paramName, accName);
        if (key === null) fail(api, `optimizer Tensor ${t.name} not found in the state dict`, NotFoundError);
        copyInto(t, holder[key], api);
      }
  }
  /** Alias of set_state_dict (fluid name). */
  set_dict(state_dict: OptimizerState | { state_dict: OptimizerState }): void {
    this.set_state_dict(state_dict);
  }

  /** Names of the accumulators created so far. */
  get_opti_var_name_list(): string[] {
    return this._opti_name_list;
  }

  // -------------------------------------------------------------------------------------
  // Learning rate

  /**
   * Sets a float learning rate (not allowed when the learning rate is an LRScheduler).
   * @param value the new rate
   * @example adam.set_lr(0.01)
   */
  set_lr(value: number | { value: number }): void {
    const api = this.api('set_lr');
    this.dygraphOnly('set_lr');
    let v: unknown = value;
    if (isPlainObject(v)) v = (v as { value?: unknown }).value;
    if (typeof v !== 'number') fail(api, `The type of 'value' in optimizer.set_lr must be float, but received ${describe(v)}.`);
    if (this._learning_rate instanceof LRScheduler)
      fail(api, "optimizer's learning rate can't be LRScheduler when invoke this API, because this will lead to conflict.", PreconditionNotMetError);
    this._learning_rate = v;
    const cur = this._learning_rate_map.get(DYGRAPH);
    if (cur) setScalar(cur, v);
  }

  /**
   * The current learning rate as a number (the scheduler's current rate when it is one).
   * @example adam.get_lr()
   */
  get_lr(): number {
    return typeof this._learning_rate === 'number' ? this._learning_rate : this._learning_rate.last_lr;
  }

  /** @internal The learning-rate tensor of the current program (dygraph: the optimizer's own). */
  _global_learning_rate(program?: Program): Tensor | undefined {
    return this._learning_rate_map.get(state.staticMode ? (program ?? default_main_program()) : DYGRAPH);
  }

  /** @internal Creates (once) the learning-rate tensor, and refreshes it from the scheduler. */
  _create_global_learning_rate(): void {
    const dtype = this._dtype ?? getDefaultDType();
    const lrValue = this.get_lr();
    if (!state.staticMode) {
      let t = this._learning_rate_map.get(DYGRAPH);
      if (!t) {
        t = Tensor.full([1], dtype, lrValue);
        t.name = generate('learning_rate');
        t.persistable = true;
        this._learning_rate_map.set(DYGRAPH, t);
      } else if (this._learning_rate instanceof LRScheduler) setScalar(t, lrValue);
      return;
    }
    const main = default_main_program();
    if (this._learning_rate_map.has(main)) return;
    const name = generate('learning_rate');
    const v = main.global_block().create_var({ name, shape: [1], dtype, persistable: true, stop_gradient: true });
    initializeInStartup(name, [1], dtype, lrValue);
    if (this._learning_rate instanceof LRScheduler) {
      this._learning_rate._var_name = name;
      // The executor refreshes this variable from the scheduler before each run (Paddle's
      // Executor reads program.lr_sheduler).
      Object.assign(main, { lr_sheduler: this._learning_rate, lr_var: v });
    }
    this._learning_rate_map.set(main, v);
  }

  /** @internal The parameter's learning rate: the global one times optimize_attr.learning_rate. */
  _create_param_lr(param_and_grad: ParamGrad): Tensor {
    const param = param_and_grad[0];
    const plr = paramLr(param);
    if (plr instanceof Tensor) return plr;
    const g = this._global_learning_rate();
    if (!g) return fail(this.api('_create_param_lr'), 'the learning rate has not been created');
    if (plr === 1.0) return g;
    if (!state.staticMode) return c.scale(g, plr);
    return name_scope('scale_with_param_lr', () => withRole(OpRole.Optimize | OpRole.LRSched, () => c.scale(g, plr)));
  }

  // -------------------------------------------------------------------------------------
  // Accumulators

  /**
   * @internal Creates the accumulator `name` of `param` (named `<param>_<name>_<n>`), filled
   * with fill_value; in static mode a persistable variable initialized by the startup program.
   */
  _add_accumulator(name: string, param: Tensor, dtype?: DType | null, fill_value = 0.0, shape?: number[] | null): Tensor {
    if (this._name !== null) name = `${this._name}_${name}`;
    const m = this._accumulators.get(name) ?? new Map<string, Tensor>();
    this._accumulators.set(name, m);
    const existing = m.get(param.name);
    if (existing) {
      if (!state.staticMode) return existing;
      fail(this.api('_add_accumulator'), `Accumulator ${name} already exists for parameter ${param.name}`, InvalidArgumentError);
    }
    const dims = shape ?? param.shape;
    const dt = dtype ?? param.dtype;
    const varName = generate(`${param.name}_${name}`);
    this._opti_name_list.push(varName);
    let acc: Tensor;
    if (state.staticMode) {
      acc = default_main_program().global_block().create_var({ name: varName, shape: dims, dtype: dt, persistable: true, stop_gradient: true });
      initializeInStartup(varName, dims, dt, fill_value);
    } else {
      acc = Tensor.full(dims, dt, fill_value);
      acc.name = varName;
      acc.persistable = true;
      const holder = this._accumulators_holder;
      if (Object.keys(holder).length > 0) {
        const key = holderKey(holder, varName, param.name, name);
        if (key === null) fail(this.api('set_state_dict'), `Optimizer set error, ${varName} should in state dict`, NotFoundError);
        copyInto(acc, holder[key], this.api('set_state_dict'));
      }
    }
    m.set(param.name, acc);
    return acc;
  }

  /** @internal The accumulator `name` of `param`. */
  _get_accumulator(name: string, param: Tensor): Tensor {
    if (this._name !== null) name = `${this._name}_${name}`;
    const t = this._accumulators.get(name)?.get(param.name);
    if (!t) return fail(this.api('_get_accumulator'), `Accumulator ${name} does not exist for parameter ${param.name}`, NotFoundError);
    return t;
  }

  /** @internal Subclasses create their accumulators here. */
  _create_accumulators(_block: Block | null, _parameters: Tensor[], _group?: ParamGroup | null): void {}
  /** @internal Subclasses append their update operator here. */
  _append_optimize_op(_block: Block | null, _param_and_grad: ParamGrad, _group?: ParamGroup | null): Operator | null {
    return fail(this.api('step'), 'Class "Optimizer" cannot be used directly as an optimizer, please use its subclasses such as "Adam"', UnimplementedError);
  }
  /** @internal Subclasses append operators run after all updates (e.g. Adamax's beta1 power). */
  _finish_update(_block: Block | null, _parameters_and_grads: ParamGrad[], _group?: ParamGroup | null): void {}

  /**
   * @internal Runs (dygraph) or appends (static) update operator `type`; the outputs are the
   * inputs updated in place.
   */
  _run_update(block: Block | null, type: string, inputs: Slots<Tensor>, outputs: Slots<Tensor>, attrs: Record<string, unknown>, pg: ParamGrad): Operator | null {
    if (!state.staticMode || !block) {
      dispatch(type, inputs, { ...attrs });
      return null;
    }
    return block.append_op({
      type,
      inputs: inputs as Record<string, Variable[]>,
      outputs: outputs as Record<string, Variable[]>,
      attrs: { ...attrs, op_role: OpRole.Optimize, op_role_var: [pg[0].name, pg[1]!.name], op_namescope: '/optimizer/' },
    });
  }

  // -------------------------------------------------------------------------------------
  // The update

  /** @internal Accumulators, learning rate and one update per parameter with a gradient. */
  _create_optimization_pass(parameters_and_grads: ParamGrad[], group: ParamGroup | null = null): Operator[] {
    const block = state.staticMode ? default_main_program().global_block() : null;
    const start = block ? block.ops.length : 0;
    this._create_accumulators(block, parameters_and_grads.filter(([q]) => isTrainable(q)).map(([q]) => q), group);
    this._create_global_learning_rate();
    for (const pg of parameters_and_grads) {
      if (pg[1] === null || !isTrainable(pg[0])) continue;
      this._append_optimize_op(block, pg, group);
    }
    this._finish_update(block, parameters_and_grads, group);
    return block ? block.ops.slice(start) : [];
  }

  /** @internal Clipping, regularization, then the update (dygraph), or apply_gradients (static). */
  _apply_optimize(loss: Tensor | null, startup_program: Program | null, params_grads: ParamGrad[], group: ParamGroup | null = null): Operator[] {
    if (!state.staticMode) {
      return withoutGrad(() => {
        const clip = group ? ((group.grad_clip as ClipGradBase | null | undefined) ?? null) : this._grad_clip;
        let pgs = params_grads;
        if (clip) pgs = clip.__call__(pgs);
        pgs = append_regularization_ops(pgs, this.regularization);
        return this._create_optimization_pass(pgs, group);
      });
    }
    const program = (loss as Variable).block.program;
    return program_guard(program, startup_program, () => this.apply_gradients(params_grads));
  }

  /**
   * Appends (static) or runs (dygraph) clipping, regularization and the update for given
   * `[param, grad]` pairs; returns the appended operators.
   * @param params_grads the pairs, e.g. from backward()
   */
  apply_gradients(params_grads: ParamGrad[] | { params_grads: ParamGrad[] }): Operator[] {
    const api = this.api('apply_gradients');
    let pgs = params_grads as ParamGrad[];
    if (isPlainObject(pgs)) pgs = (pgs as { params_grads?: ParamGrad[] }).params_grads as ParamGrad[];
    if (!Array.isArray(pgs) || !pgs.every((x) => Array.isArray(x) && x[0] instanceof Tensor))
      fail(api, "argument 'params_grads' expected a list of [param, grad] pairs");
    const run = (): Operator[] => {
      let sorted = pgs.slice().sort((x, y) => (x[0].name < y[0].name ? -1 : x[0].name > y[0].name ? 1 : 0));
      if (this._grad_clip) sorted = this._grad_clip.__call__(sorted);
      sorted = append_regularization_ops(sorted, this.regularization);
      return this._create_optimization_pass(sorted);
    };
    return state.staticMode ? run() : withoutGrad(run);
  }

  /**
   * The gradients to apply: in dygraph the `[param, grad]` pairs of the trainable parameters
   * that have a gradient; in static mode appends the backward operators of `loss` and returns
   * their pairs.
   * @param loss the loss (static: shape [1])
   * @param startup_program the startup program (default: the default one)
   * @param parameters the parameters (or names) to differentiate (default: the optimizer's)
   * @param no_grad_set parameters (or names) to skip
   * @param callbacks ignored (Paddle's error-clip callbacks)
   */
  backward(...args: CallArgs<typeof backwardParams>): ParamGrad[] {
    const a = parseBackward(this.api('backward'), args);
    return this._backward(a.loss, a.startup_program, a.parameters, a.no_grad_set);
  }

  private _backward(loss: Tensor, startup: Program | null, parameters: (Tensor | string)[] | null, noGrad: unknown): ParamGrad[] {
    const api = this.api('backward');
    if (!this._dtype) this._dtype = loss.dtype;
    if (!state.staticMode) {
      const list = parameters ?? this._all_parameters();
      const out: ParamGrad[] = [];
      for (const q of list) {
        if (!(q instanceof Tensor)) fail(api, 'in dygraph mode, parameters must be Tensors');
        if (!isTrainable(q)) continue;
        if (q.grad) out.push([q, q.grad]);
      }
      return out;
    }
    if (!(loss instanceof Variable)) fail(api, `argument 'loss' expected a static Variable, but got ${describe(loss)}`);
    const lv = loss as Variable;
    if (lv.dims.length !== 1 || lv.dims[0] !== 1)
      fail(api, `The loss.shape should be [1], but the current loss.shape is ${showShape(lv.dims)}. Maybe that you should call paddle.mean to process the current loss.`);
    const program = lv.block.program;
    const names = new Set<string>();
    const add = (x: unknown): void => void names.add(typeof x === 'string' ? x : (x as Tensor).name);
    if (noGrad instanceof Set) noGrad.forEach(add);
    else if (Array.isArray(noGrad)) noGrad.forEach(add);
    else if (noGrad !== null && noGrad !== undefined) add(noGrad);
    for (const q of program.global_block().all_parameters()) if (!q.trainable) names.add(q.name);
    const list = parameters ?? (this._parameter_list as (Tensor | string)[] | null);
    return program_guard(program, startup, () =>
      append_backward(lv, list ? list.map((q) => (typeof q === 'string' ? q : (q as Variable))) : null, [...names]),
    ) as ParamGrad[];
  }

  /**
   * Minimizes `loss`. Dygraph: updates the parameters with the gradients already computed by
   * `loss.backward()` (as `step()`). Static: appends the backward and update operators to
   * loss's program. Returns `[optimize_ops, params_grads]`.
   * @param loss the loss Tensor (static: shape [1])
   * @param startup_program where accumulators and the learning rate are initialized (default: the default startup program)
   * @param parameters the parameters (or names) to update (default: the optimizer's, or all)
   * @param no_grad_set parameters (or names) not to update
   * @example
   * const [ops, pairs] = sgd.minimize(avgLoss)   // static mode
   */
  minimize(...args: CallArgs<typeof minimizeParams>): [Operator[], ParamGrad[]] {
    const a = parseMinimize(this.api('minimize'), args);
    if (!state.staticMode && this._has_groups && a.parameters === null) {
      const pgs = this._backward(a.loss, null, null, a.no_grad_set);
      this.step();
      return [[], pgs];
    }
    return withoutGrad(() => {
      const pgs = this._backward(a.loss, a.startup_program, a.parameters, a.no_grad_set);
      const ops = this._apply_optimize(a.loss, a.startup_program, pgs);
      return [ops, pgs] as [Operator[], ParamGrad[]];
    });
  }

  /**
   * Dygraph: updates every trainable parameter that has a gradient, once (after
   * loss.backward()).
   * @example loss.backward(); opt.step(); opt.clear_grad();
   */
  step(): void {
    this.dygraphOnly('step');
    withoutGrad(() => {
      if (!this._has_groups) {
        const pgs: ParamGrad[] = [];
        for (const q of this._param_groups as Tensor[]) if (isTrainable(q) && q.grad) pgs.push([q, q.grad]);
        this._apply_optimize(null, null, pgs);
        return;
      }
      for (const group of this._param_groups as ParamGroup[]) {
        const pgs: ParamGrad[] = [];
        for (const q of group.params) if (isTrainable(q) && q.grad) pgs.push([q, q.grad]);
        this._apply_optimize(null, null, pgs, group);
      }
    });
  }

  /**
   * Clears (zeroes) the gradients of the optimizer's trainable parameters; call it once per
   * iteration, after step().
   */
  clear_grad(): void {
    this.dygraphOnly('clear_grad');
    for (const q of this._all_parameters()) if (isTrainable(q)) q.clear_gradient();
  }

  toString(): string {
    return `${this.constructor.name}(learning_rate=${this.get_lr()})`;
  }
}

// ---------------------------------------------------------------------------------------
// Helpers

/**
 * The state-dict key of an accumulator: its own name, or else the one entry named like it up
 * to the unique-name counter (`<param>_<acc>_<n>`): a second optimizer in the same process
 * numbers its accumulators on (`..._moment1_1`), where Paddle would refuse the state dict.
 */
function holderKey(holder: OptimizerState, varName: string, paramName: string, accName: string): string | null {
  if (varName in holder) return varName;
  const prefix = `${paramName}_${accName}_`;
  const found = Object.keys(holder).filter((k) => k.startsWith(prefix) && /^\d+$/.test(k.slice(prefix.length)));
  return found.length === 1 ? found[0] : null;
}

/** Writes a number into a one-element tensor. */
function setScalar(t: Tensor, v: number): void {
  (t.data as Float32Array)[0] = v;
  t.ver.v++;
}

/** Copies a state-dict value (a Tensor, typed array or nested array) into accumulator t. */
function copyInto(t: Tensor, value: unknown, api: string): void {
  let v: Tensor;
  if (value instanceof Tensor) v = value;
  else if (value !== null && typeof value === 'object') v = tensorFromData(value, t.dtype, api, t.name);
  else if (typeof value === 'number' && t.size === 1) v = Tensor.full([1], t.dtype, value);
  else return fail(api, `the state dict value of ${t.name} must be a Tensor, but got ${describe(value)}`);
  if (!sameShape(v.dims, t.dims) && !(v.size === t.size && v.dims.length <= 1))
    fail(api, `Parameter shape not match, Dygraph Parameter [ ${t.name} ] need tensor with shape ${showShape(t.dims)} but load tensor with shape ${showShape(v.dims)}`);
  if (v.dtype !== t.dtype)
    fail(api, `Parameter dtype not match, Dygraph Parameter [ ${t.name} ] need tensor with dtype ${t.dtype} but load tensor with dtype ${v.dtype}`);
  const src = v.dtype === t.dtype ? v.data : convertStorage(v.data, v.dtype, t.dtype);
  (t.data as Float64Array).set(src as Float64Array);
  t.ver.v++;
}

/** Declares `name` in the startup program and fills it there (Constant initializer). */
function initializeInStartup(name: string, shape: number[], dtype: DType, value: number): void {
  const sb = default_startup_program().global_block();
  const v = sb.create_var({ name, shape, dtype, persistable: true, stop_gradient: true });
  sb.append_op({ type: 'fill_constant', outputs: { Out: [v] }, attrs: { shape, dtype: PROTO_DTYPE[dtype], value, force_cpu: false } });
}

const lossTy: Ty<Tensor> = { desc: 'a Tensor', parse: (v, api, arg) => (v instanceof Tensor ? v : fail(api, `The ${arg} should be an Tensor, but got ${describe(v)}`)) };
const programTy: Ty<Program | null> = {
  desc: 'a Program',
  parse: (v, api, arg) => (v === null || v instanceof Program ? (v as Program | null) : fail(api, `argument '${arg}' expected a Program, but got ${describe(v)}`)),
};
const paramListTy: Ty<(Tensor | string)[] | null> = {
  desc: 'a list of Tensors or names',
  parse: (v, api, arg) =>
    v === null || (Array.isArray(v) && v.every((x) => x instanceof Tensor || typeof x === 'string'))
      ? (v as (Tensor | string)[] | null)
      : fail(api, `argument '${arg}' expected a list of Tensors or parameter names, but got ${describe(v)}`),
};
const anyTy: Ty<unknown, Set<string | Tensor> | (string | Tensor)[] | null> = { desc: 'a set or list', parse: (v) => v };

const minimizeParams = [
  p('loss', lossTy), p('startup_program', programTy, null), p('parameters', paramListTy, null), p('no_grad_set', anyTy, null),
] as const;
const backwardParams = [...minimizeParams, p('callbacks', anyTy, null)] as const;
type MinimizeArgs = { loss: Tensor; startup_program: Program | null; parameters: (Tensor | string)[] | null; no_grad_set: unknown };
const parseMinimize = (api: string, args: unknown[]) => makeParser(api, minimizeParams)(args) as MinimizeArgs;
const parseBackward = (api: string, args: unknown[]) => makeParser(api, backwardParams)(args) as MinimizeArgs;
