// paddle.jit: turning a dygraph Layer into a static program (by tracing its forward with
// InputSpec-shaped inputs) and saving/loading it as a Paddle inference model
// (`.pdmodel` + `.pdiparams`), as paddle.jit.save / paddle.jit.load.
import { describe, fail, InvalidArgumentError } from '../core/errors.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { withoutGrad } from '../core/autograd.js';
import { Layer } from '../nn/layer.js';
import { Executor, Scope, scope_guard } from '../static/executor.js';
import { Program, Variable } from '../static/framework.js';
import { InputSpec, data } from '../static/input.js';
import { load_inference_model, save_inference_model } from '../static/io.js';
import { capture, program_guard } from '../static/mode.js';
import { guard as nameGuard } from '../static/unique_name.js';

type Spec = InputSpec | Tensor;
const SPEC = Symbol('paddle.jit.input_spec');

/**
 * Marks a Layer (or function) for static conversion with an input signature, as the
 * `@paddle.jit.to_static` decorator does. Calls still run eagerly (same results); the spec is
 * what `paddle.jit.save` traces with.
 * @example net = paddle.jit.to_static(net, { input_spec: [new paddle.static.InputSpec([null, 784], 'float32')] })
 */
export function to_static<F extends object>(fn: F, opts: { input_spec?: Spec[] | null } | Spec[] | null = null): F {
  const spec = Array.isArray(opts) ? opts : opts?.input_spec ?? null;
  if (typeof fn !== 'function' && !(fn instanceof Layer)) fail('paddle.jit.to_static', `argument 'function' expected a Layer or a function, but got ${describe(fn)}`);
  (fn as Record<symbol, unknown>)[SPEC] = spec;
  return fn;
}
/** Keeps a function out of static conversion (a no-op marker, as in Paddle). */
export function not_to_static<F>(fn: F): F {
  return fn;
}
/** Logging controls of Paddle's dygraph-to-static translator (accepted; nothing is transcribed here). */
export function set_code_level(_level = 100, _also_to_stdout = false): void {}
export function set_verbosity(_level = 0, _also_to_stdout = false): void {}
/** Paddle's translator singleton: `enable(false)` makes to_static functions run eagerly (they always do here). */
export class ProgramTranslator {
  private static inst: ProgramTranslator | null = null;
  enable_to_static = true;
  static get_instance(): ProgramTranslator {
    return (ProgramTranslator.inst ??= new ProgramTranslator());
  }
  enable(enable_to_static: boolean): void {
    this.enable_to_static = enable_to_static;
  }
}

function specOf(s: Spec, i: number): InputSpec {
  if (s instanceof InputSpec) return s;
  if (s instanceof Tensor) return InputSpec.from_tensor(s, s.name);
  return fail('paddle.jit.save', `input_spec[${i}] expected an InputSpec or a Tensor, but got ${describe(s)}`, InvalidArgumentError);
}

/**
 * Traces `layer`'s forward into a Program: inputs are data variables shaped by the specs,
 * parameters and buffers become persistable variables. Returns the program, its feed and
 * fetch variables and the captured parameter values.
 */
export function trace(layer: Layer | ((...a: Tensor[]) => unknown), input_spec: Spec[]): { program: Program; feeds: Variable[]; fetches: Variable[]; params: Map<string, Tensor> } {
  const program = new Program();
  const startup = new Program();
  const params = new Map<string, Tensor>();
  const prevMode = state.staticMode;
  const prevCapture = capture.values;
  state.staticMode = true;
  capture.values = params;
  try {
    return program_guard(program, startup, () =>
      nameGuard(() => {
        const feeds = input_spec.map((s, i) => {
          const sp = specOf(s, i);
          return data(sp.name ?? `x${i}`, sp.shape, sp.dtype);
        });
        const out = (layer as (...a: Tensor[]) => unknown)(...feeds);
        const outs = (Array.isArray(out) ? out.flat(Infinity) : [out]) as unknown[];
        if (!outs.every((o) => o instanceof Variable)) fail('paddle.jit.save', 'the forward must return Tensors (or lists of Tensors)');
        return { program, feeds, fetches: outs as Variable[], params };
      }),
    );
  } finally {
    state.staticMode = prevMode;
    capture.values = prevCapture;
  }
}

/**
 * Saves a Layer as an inference model `<path>.pdmodel` + `<path>.pdiparams` by tracing its
 * forward with `input_spec` (default: the spec given to to_static).
 * @param layer the Layer (or function) to save
 * @param path a path prefix, e.g. 'inference/model'
 * @param input_spec a list of InputSpec (or example Tensors)
 * @example paddle.jit.save(net, './infer/net', [new paddle.static.InputSpec([null, 784], 'float32')])
 */
export function save(layer: Layer | ((...a: Tensor[]) => unknown), path: string, input_spec: Spec[] | null = null, _configs: Record<string, unknown> = {}): void {
  if (typeof path !== 'string' || path === '' || path.endsWith('/')) fail('paddle.jit.save', `argument 'path' must be a path prefix like 'dir/model', but got ${describe(path)}`);
  const spec = input_spec ?? ((layer as unknown as Record<symbol, Spec[] | null>)[SPEC] ?? null);
  if (!spec || !Array.isArray(spec) || spec.length === 0)
    fail('paddle.jit.save', "argument 'input_spec' is needed (a list of InputSpec), or decorate the layer with paddle.jit.to_static(layer, { input_spec })");
  const wasTraining = layer instanceof Layer ? layer.training : false;
  if (layer instanceof Layer) layer.eval();
  try {
    const t = trace(layer, spec);
    const scope = new Scope();
    for (const [name, value] of t.params) scope.set(name, value);
    const prevMode = state.staticMode;
    state.staticMode = true;
    try {
      scope_guard(scope, () => save_inference_model(path, t.feeds, t.fetches, new Executor(), { program: t.program }));
    } finally {
      state.staticMode = prevMode;
    }
  } finally {
    if (layer instanceof Layer && wasTraining) layer.train();
  }
}

/**
 * A Layer running a loaded inference program (paddle.jit.load's result). Calling it feeds the
 * inputs in order and returns the fetched outputs (one Tensor or a list).
 */
export class TranslatedLayer extends Layer {
  declare _program: Program;
  declare _feeds: string[];
  declare _fetches: string[];
  declare _scope: Scope;
  constructor(program: Program, feeds: string[], fetches: string[], scope: Scope) {
    super();
    Object.defineProperty(this, '_program', { value: program, enumerable: false });
    Object.defineProperty(this, '_feeds', { value: feeds, enumerable: false });
    Object.defineProperty(this, '_fetches', { value: fetches, enumerable: false });
    Object.defineProperty(this, '_scope', { value: scope, enumerable: false });
    for (const name of scope.local_var_names()) {
      const t = scope.find_var(name)!;
      t.persistable = true;
      t.stop_gradient = true;
      this.register_buffer(name.replace(/\./g, '_'), t);
    }
  }
  override forward(...inputs: Tensor[]): Tensor | Tensor[] {
    if (inputs.length !== this._feeds.length)
      fail('TranslatedLayer', `expected ${this._feeds.length} inputs (${this._feeds.join(', ')}), but got ${inputs.length}`);
    const local = this._scope.new_scope();
    this._feeds.forEach((n, i) => local.set(n, inputs[i]));
    const exe = new Executor();
    withoutGrad(() => exe.runBlock(this._program.global_block(), local, local));
    const outs = this._fetches.map((n) => local.find_var(n)!);
    return outs.length === 1 ? outs[0] : outs;
  }
  /** The inference program. */
  program(): Program {
    return this._program;
  }
}

/**
 * Loads what paddle.jit.save (or save_inference_model) wrote as a callable TranslatedLayer.
 * @example const net = paddle.jit.load('./infer/net'); const y = net(x)
 */
export function load(path: string, _configs: Record<string, unknown> = {}): TranslatedLayer {
  if (typeof path !== 'string') fail('paddle.jit.load', `argument 'path' expected a string, but got ${describe(path)}`);
  const scope = new Scope();
  const [program, feeds, fetches] = load_inference_model(path, new Executor(), { scope });
  return new TranslatedLayer(program, feeds, fetches.map((v) => v.name), scope);
}

/** Paddle 2.0's TracedLayer.trace(layer, inputs) -> [outputs, traced]; save_inference_model(path). */
export class TracedLayer {
  private constructor(private readonly layer: Layer, private readonly inputs: Tensor[]) {}
  static trace(layer: Layer, inputs: Tensor[]): [unknown, TracedLayer] {
    if (!(layer instanceof Layer)) fail('paddle.jit.TracedLayer.trace', `argument 'layer' expected a Layer, but got ${describe(layer)}`);
    const out = (layer as unknown as (...a: Tensor[]) => unknown)(...inputs);
    return [out, new TracedLayer(layer, inputs)];
  }
  save_inference_model(path: string, _feed: number[] | null = null, _fetch: number[] | null = null): void {
    save(this.layer, path, this.inputs.map((t, i) => new InputSpec(t.dims, t.dtype, `x${i}`)));
  }
}
