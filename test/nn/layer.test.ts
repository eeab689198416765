// paddle.nn.Layer and the containers: callable instances, registration order (class fields and
// constructor assignments), structured state_dict names, set_state_dict round trips and its
// warnings, hooks, train/eval, containers' indexing and iteration, printing, ParamAttr and
// the errors Paddle raises.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test, type TestContext } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
const I = paddle.nn.initializer;
type Tensor = paddle.Tensor;

class Block extends nn.Layer {
  conv = new nn.Linear(3, 3);
  declare scale: Tensor;
  constructor() {
    super();
    this.register_buffer('scale', paddle.ones([3], 'float32'));
  }
  override forward(x: Tensor) {
    return this.conv(x);
  }
}

class Net extends nn.Layer {
  fc1 = new nn.Linear(4, 3);
  declare sub: InstanceType<typeof nn.Sequential>;
  declare w: InstanceType<typeof paddle.Tensor>;
  fc2 = new nn.Linear(3, 2);
  constructor() {
    super();
    this.sub = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 1));
    this.w = this.create_parameter([1]);
  }
  override forward(x: Tensor) {
    return this.sub(this.fc2(this.fc1(x)));
  }
}

/** Captures UserWarnings emitted during fn. */
function warnings(t: TestContext, fn: () => void): string[] {
  const seen: string[] = [];
  const m = t.mock.method(process, 'emitWarning', (msg: string | Error) => void seen.push(String(msg)));
  try {
    fn();
  } finally {
    m.mock.restore();
  }
  return seen;
}

test('a Layer instance is a callable object of its class', () => {
  const net = new Net();
  assert.equal(typeof net, 'function');
  assert.ok(net instanceof Net && net instanceof nn.Layer);
  assert.ok(net.fc1 instanceof nn.Linear);
  const y = net(paddle.ones([5, 4], 'float32'));
  assert.deepEqual(y.shape, [5, 1]);
  assert.equal(net.__call__, nn.Layer.prototype.__call__);
  assert.match(net.full_name(), /^net_\d+$/);
  class MyFancyBatchNorm2D extends nn.Layer {}
  assert.match(new MyFancyBatchNorm2D().full_name(), /^my_fancy_batch_norm2d_\d+$/);
  assert.match(new nn.Layer('scope').full_name(), /^scope_\d+$/);
  assertThrows(() => new nn.Layer()(1), paddle.errors.NotFoundError, /forward is not implemented/);
  // private fields, getters/setters and methods of subclasses behave as usual
  class Scaled extends nn.Layer {
    #factor = 2;
    inner = new nn.Linear(1, 1, new I.Constant(1), false);
    get factor() {
      return this.#factor;
    }
    set factor(v: number) {
      this.#factor = v;
    }
    override forward(x: Tensor) {
      return this.inner(x).multiply(paddle.to_tensor([this.#factor], { dtype: 'float32' }));
    }
  }
  const s = new Scaled();
  s.factor = 5;
  assert.equal(s.factor, 5);
  assert.deepEqual(s(paddle.to_tensor([[2]], { dtype: 'float32' })).tolist(), [[10]]);
  assert.ok(!Object.keys(s).includes('factor'));
  assert.equal(inspect(s), 'Scaled(\n  (inner): Linear(in_features=1, out_features=1, dtype=float32)\n)');
});

test('a parameter shared by two sublayers is listed once but saved under both names', () => {
  class Tied extends nn.Layer {
    a = new nn.Linear(2, 2);
    b = new nn.Linear(2, 2);
    constructor() {
      super();
      this.b.weight = this.a.weight;
    }
  }
  const t = new Tied();
  assert.deepEqual(t.named_parameters().map(([n]) => n), ['a.weight', 'a.bias', 'b.bias']);
  assert.deepEqual(Object.keys(t.state_dict()), ['a.weight', 'a.bias', 'b.weight', 'b.bias']);
  assert.equal(t.state_dict()['b.weight'], t.a.weight);
});

test('parameters and sublayers register in assignment order: class fields, then the constructor', () => {
  const net = new Net();
  assert.deepEqual([...net._sub_layers.keys()], ['fc1', 'fc2', 'sub']);
  assert.deepEqual(
    net.named_parameters().map(([n]) => n),
    ['w', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'sub.0.weight', 'sub.0.bias', 'sub.1.weight', 'sub.1.bias'],
  );
  assert.equal(net.parameters().length, 9);
  assert.equal(net.parameters(false).length, 1);
  assert.deepEqual(net.named_parameters('net', false).map(([n]) => n), ['net.w']);
  assert.deepEqual(net.named_sublayers().map(([n]) => n), ['fc1', 'fc2', 'sub', 'sub.0', 'sub.1']);
  assert.deepEqual(net.named_sublayers({ prefix: 'm', include_self: true }).map(([n]) => n), ['m', 'm.fc1', 'm.fc2', 'm.sub', 'm.sub.0', 'm.sub.1']);
  assert.deepEqual(net.sublayers().length, 5);
  assert.deepEqual(net.sublayers(false), []); // 2.0: include_sublayers=False stops the walk
  assert.equal(net.sublayers({ include_self: true })[0], net);
  assert.deepEqual(net.named_children().map(([n]) => n), ['fc1', 'fc2', 'sub']);
  assert.deepEqual(net.children(), [net.fc1, net.fc2, net.sub]);
  // registered values are read back by name and are not own properties
  assert.ok('fc1' in net && 'w' in net);
  assert.ok(!Object.keys(net).includes('fc1'));
  // plain values stay plain attributes
  (net as unknown as { note: string }).note = 'hi';
  assert.equal((net as unknown as { note: string }).note, 'hi');
  assert.ok(Object.keys(net).includes('note'));
  // __setattr__ registers as assignment does (a Parameter, a Layer, a buffer Tensor, a plain value)
  const extra = net.create_parameter([3]);
  net.__setattr__('extra', extra);
  net.__setattr__('head', new paddle.nn.Linear(2, 1));
  net.__setattr__('counter', paddle.zeros([1]));
  net.__setattr__('tag', 'x');
  assert.equal(net.parameters(false).length, 2);
  assert.equal(net.named_parameters('', false)[1][0], 'extra');
  assert.deepEqual([...net._sub_layers.keys()], ['fc1', 'fc2', 'sub', 'head']);
  assert.deepEqual(net.named_buffers().map(([n]) => n), ['counter']);
  assert.ok(Object.keys(net).includes('tag') && !Object.keys(net).includes('extra'));
});

test('parameters: names, flags and ParamAttr settings', () => {
  const fc = new nn.Linear(2, 3);
  const prefix = fc.full_name();
  assert.equal(fc.weight.name, `${prefix}.w_0`);
  assert.equal(fc.bias!.name, `${prefix}.b_0`);
  assert.equal(fc.weight.stop_gradient, false);
  assert.equal(fc.weight.persistable, true);
  assert.equal(fc.weight.trainable, true);
  assert.deepEqual(fc.weight.optimize_attr, { learning_rate: 1 });
  assert.match(String(fc.weight), /^Parameter containing:\nTensor\(shape=\[2, 3\], dtype=float32, place=CPUPlace, stop_gradient=False,/);
  const attr = new paddle.ParamAttr({ name: 'my_weight_a', learning_rate: 0.5, trainable: false, need_clip: false });
  const fc2 = new nn.Linear(2, 3, { weight_attr: attr, bias_attr: false });
  assert.equal(fc2.weight.name, 'my_weight_a');
  assert.equal(fc2.weight.trainable, false);
  assert.equal(fc2.weight.stop_gradient, true);
  assert.deepEqual(fc2.weight.optimize_attr, { learning_rate: 0.5 });
  assert.equal(fc2.weight.need_clip, false);
  assert.equal(fc2.bias, null);
  assert.deepEqual(fc2.named_parameters().map(([n]) => n), ['weight']);
  assert.equal(attr.name, 'my_weight_a'); // the attribute is copied, not mutated
  const fc3 = new nn.Linear(2, 3, 'my_weight_b', 'my_bias_b');
  assert.deepEqual([fc3.weight.name, fc3.bias!.name], ['my_weight_b', 'my_bias_b']);
  // a reused ParamAttr without a name gives each layer its own generated name
  const shared = new paddle.ParamAttr({ initializer: new I.Constant(1) });
  const a = new nn.Linear(1, 1, shared);
  const b = new nn.Linear(1, 1, shared);
  assert.notEqual(a.weight.name, b.weight.name);
  assert.equal(shared.name, null);
  // trainable is the opposite of stop_gradient
  a.weight.trainable = false;
  assert.equal(a.weight.stop_gradient, true);
  // the same explicit name twice is an error in dygraph
  assertThrows(() => new nn.Linear(1, 1, 'my_weight_b'), paddle.errors.InvalidArgumentError, /parameter name \[my_weight_b\] have be been used/);
  const p = paddle.create_parameter([2, 2], 'float64', { name: 'my_created_param' });
  assert.equal(p.name, 'my_created_param');
  assert.equal(p.dtype, 'float64');
  assert.deepEqual(paddle.create_parameter([3], 'float32', { is_bias: true }).tolist(), [0, 0, 0]);
});

test('ParamAttr checks its arguments like Paddle', () => {
  assertThrows(() => new paddle.ParamAttr({ name: 3 } as never), paddle.errors.InvalidArgumentError, /'name' in paddle\.ParamAttr must be str or None/);
  assertThrows(() => new paddle.ParamAttr({ learning_rate: '1' } as never), paddle.errors.InvalidArgumentError, /'learning_rate'.*float or int/);
  assertThrows(() => new paddle.ParamAttr({ trainable: 1 } as never), paddle.errors.InvalidArgumentError, /'trainable'.*bool/);
  assertThrows(() => new paddle.ParamAttr({ initializer: 'xavier' } as never), paddle.errors.InvalidArgumentError, /'initializer'.*Initializer or None/);
  assertThrows(() => new paddle.ParamAttr(''), paddle.errors.InvalidArgumentError, /can not be empty str/);
  assertThrows(() => new nn.Linear(2, 2, 5 as never), paddle.errors.InvalidArgumentError, /weight_attr/);
  const pa = new paddle.ParamAttr('n1', null, 2.0);
  assert.deepEqual([pa.name, pa.learning_rate, pa.trainable, pa.do_model_average, pa.need_clip], ['n1', 2, true, true, true]);
  // an Initializer stands for ParamAttr(initializer=...)
  const fc = new nn.Linear(2, 1, new I.Constant(3), new I.Constant(4));
  assert.deepEqual([fc.weight.tolist(), fc.bias!.tolist()], [[[3], [3]], [4]]);
});

test('state_dict: structured names in Paddle order, persistable buffers only', () => {
  const net = new Net();
  const b = new Block();
  const holder = new (class Holder extends nn.Layer {
    blk = b;
    seq = new nn.Sequential(['first', new nn.Linear(1, 1)]);
    declare tmp: Tensor;
    constructor() {
      super();
      this.register_buffer('hidden', paddle.zeros([2], 'float32'), false);
      this.tmp = paddle.zeros([1], 'float32'); // a plain Tensor attribute is a non-persistable buffer
      this.register_buffer('count', paddle.zeros([1], 'int64'));
    }
  })();
  assert.deepEqual(Object.keys(net.state_dict()), [
    'w', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'sub.0.weight', 'sub.0.bias', 'sub.1.weight', 'sub.1.bias',
  ]);
  assert.equal(net.state_dict()['fc1.weight'], net.fc1.weight); // the parameters themselves
  assert.deepEqual(Object.keys(holder.state_dict()), ['count', 'blk.scale', 'blk.conv.weight', 'blk.conv.bias', 'seq.first.weight', 'seq.first.bias']);
  assert.deepEqual(holder.named_buffers().map(([n]) => n), ['hidden', 'tmp', 'count', 'blk.scale']);
  assert.deepEqual(Object.keys(holder.state_dict({ include_sublayers: false })), ['count']);
  assert.deepEqual(Object.keys(b.state_dict({ structured_name_prefix: 'x.' })), ['x.scale', 'x.conv.weight', 'x.conv.bias']);
  const dest: Record<string, Tensor> = {};
  assert.equal(b.state_dict(dest), dest);
  assert.equal(Object.keys(dest).length, 3);
});

test('set_state_dict round trip (Tensors, nested arrays, typed arrays), aliases, by parameter name', (t) => {
  const a = new Net();
  const b = new Net();
  const sd = a.state_dict();
  assert.deepEqual(warnings(t, () => b.set_state_dict(sd)), []);
  for (const [k, v] of Object.entries(b.state_dict())) assert.deepEqual(v.tolist(), sd[k].tolist(), k);
  assert.notEqual(b.fc1.weight, a.fc1.weight); // values copied, parameters kept
  const x = paddle.ones([2, 4], 'float32');
  assert.deepEqual(b(x).tolist(), a(x).tolist());
  // plain data and keyword forms
  const c = new Block();
  c.set_state_dict({ state_dict: { 'conv.weight': [[1, 2, 3], [4, 5, 6], [7, 8, 9]], 'conv.bias': new Float64Array([0.5, 0, -0.5]), scale: [2, 2, 2] } });
  assert.deepEqual(c.conv.weight.tolist(), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assert.deepEqual(c.conv.bias!.tolist(), [0.5, 0, -0.5]);
  assert.deepEqual(c.scale.tolist(), [2, 2, 2]);
  c.load_dict({ 'conv.weight': new Float32Array(9).fill(1), 'conv.bias': [0, 0, 0], scale: [1, 1, 1] });
  assert.deepEqual(c.conv.weight.tolist(), [[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
  c.set_dict(new Map<string, unknown>([['conv.bias', [1, 1, 1]], ['conv.weight', paddle.zeros([3, 3], 'float32')], ['scale', [3, 3, 3]]]));
  assert.deepEqual(c.conv.bias!.tolist(), [1, 1, 1]);
  // use_structured_name=false matches by parameter name
  const d = new Block();
  const byName: Record<string, unknown> = { [d.conv.weight.name]: paddle.full([3, 3], 4, 'float32'), [d.conv.bias!.name]: [9, 9, 9], [d.scale.name]: [5, 5, 5] };
  d.set_state_dict(byName, { use_structured_name: false });
  assert.deepEqual(d.conv.bias!.tolist(), [9, 9, 9]);
  assert.deepEqual((d.conv.weight.tolist() as number[][])[0], [4, 4, 4]);
});

test('set_state_dict warns and skips missing keys and shape mismatches', (t) => {
  const blk = new Block();
  const before = blk.conv.weight.tolist();
  const seen = warnings(t, () => blk.set_state_dict({ 'conv.weight': [[1, 2], [3, 4]], 'conv.bias': [7, 8, 9], extra: [1] }));
  // in state_dict order: own buffers, then sublayers
  assert.deepEqual(seen, [
    'Skip loading for scale. scale is not found in the provided dict.',
    'Skip loading for conv.weight. conv.weight receives a shape [2, 2], but the expected shape is [3, 3].',
  ]);
  assert.deepEqual(blk.conv.weight.tolist(), before);
  assert.deepEqual(blk.conv.bias!.tolist(), [7, 8, 9]);
  assertThrows(() => blk.set_state_dict(5 as never), paddle.errors.InvalidArgumentError, /'state_dict'/);
});

test('forward pre/post hooks run around forward and remove() unregisters them', () => {
  const fc = new nn.Linear(2, 2, new I.Constant(1), false);
  const log: string[] = [];
  const h1 = fc.register_forward_pre_hook((layer, inputs) => {
    log.push(`pre ${layer === fc} ${inputs.length}`);
    return (inputs[0] as Tensor).multiply(paddle.to_tensor([2], { dtype: 'float32' }));
  });
  const h2 = fc.register_forward_post_hook((_l, inputs, out) => {
    log.push(`post ${(inputs[0] as Tensor).tolist()}`);
    return (out as Tensor).add(paddle.to_tensor([100], { dtype: 'float32' }));
  });
  const h3 = fc.register_forward_post_hook(() => undefined); // no return keeps the output
  const x = paddle.to_tensor([[1, 2]], { dtype: 'float32' });
  assert.deepEqual(fc(x).tolist(), [[106, 106]]);
  assert.deepEqual(log, ['pre true 1', 'post 2,4']);
  h1.remove();
  assert.deepEqual(fc(x).tolist(), [[103, 103]]);
  h2.remove();
  h2.remove();
  h3.remove();
  assert.deepEqual(fc(x).tolist(), [[3, 3]]);
  assertThrows(() => fc.register_forward_pre_hook(3 as never), paddle.errors.InvalidArgumentError, /'hook'/);
});

test('train() / eval() propagate to every sublayer; apply visits children first', () => {
  const net = new Net();
  assert.equal(net.training, true);
  net.eval();
  assert.deepEqual([net, ...net.sublayers()].map((l) => l.training), [false, false, false, false, false, false]);
  net.train();
  assert.ok([net, ...net.sublayers()].every((l) => l.training));
  const order: string[] = [];
  assert.equal(net.apply((l) => void order.push(l.constructor.name)), net);
  assert.deepEqual(order, ['Linear', 'Linear', 'Linear', 'Linear', 'Sequential', 'Net']);
});

test('clear_gradients zeroes the gradients of trainable parameters', () => {
  const fc = new nn.Linear(2, 1);
  fc(paddle.ones([3, 2], 'float32')).sum().backward();
  assert.deepEqual(fc.bias!.grad!.tolist(), [3]);
  fc.clear_gradients();
  assert.deepEqual(fc.bias!.grad!.tolist(), [0]);
  assert.deepEqual(fc.weight.grad!.tolist(), [[0], [0]]);
});

test('Sequential: positional or named layers, indexing, length, iteration, forward', () => {
  const l1 = new nn.Linear(2, 3);
  const l2 = new nn.Linear(3, 1);
  const seq = new nn.Sequential(l1, l2);
  assert.equal(seq.length, 2);
  assert.equal(seq.__len__(), 2);
  assert.equal(seq[0], l1);
  assert.equal(seq[1], l2);
  assert.equal(seq[-1], l2);
  assert.deepEqual([...seq], [l1, l2]);
  const x = paddle.ones([4, 2], 'float32');
  assert.deepEqual(seq(x).tolist(), l2(l1(x)).tolist());
  const part = seq['1:' as never] as unknown as InstanceType<typeof nn.Sequential>;
  assert.ok(part instanceof nn.Sequential);
  assert.equal(part[0], l2);
  const named = new nn.Sequential(['enc', l1], ['dec', l2]);
  assert.equal((named as unknown as { enc: unknown }).enc, l1);
  assert.equal(named[1], l2);
  assert.deepEqual(Object.keys(named.state_dict()), ['enc.weight', 'enc.bias', 'dec.weight', 'dec.bias']);
  const l3 = new nn.Linear(3, 1);
  (named as unknown as { dec: unknown }).dec = l3;
  assert.equal(named[1], l3);
  const l4 = new nn.Linear(3, 1);
  named[-1] = l4; // a negative index replaces by position
  assert.equal((named as unknown as { dec: unknown }).dec, l4);
  assert.deepEqual([...named._sub_layers.keys()], ['enc', 'dec']);
  delete named[0];
  assert.deepEqual([...named._sub_layers.keys()], ['dec']);
  assertThrows(() => seq[5], paddle.errors.OutOfRangeError, /index 5 is out of range/);
  assertThrows(() => new nn.Sequential(3 as never), paddle.errors.InvalidArgumentError, /expected a Layer/);
});

test('LayerList: indexing, negative indices, slices, append/insert/extend/delete, for...of', () => {
  const ls = Array.from({ length: 3 }, (_, i) => new nn.Linear(i + 1, 1));
  const ll = new nn.LayerList(ls);
  assert.equal(ll.length, 3);
  assert.deepEqual([...ll], ls);
  assert.equal(ll[0], ls[0]);
  assert.equal(ll[-1], ls[2]);
  const sl = ll['0:3:2' as never] as unknown as InstanceType<typeof nn.LayerList>;
  assert.deepEqual([...sl], [ls[0], ls[2]]);
  const extra = new nn.Linear(9, 1);
  ll.append(extra);
  assert.equal(ll[3], extra);
  const ins = new nn.Linear(8, 1);
  ll.insert(1, ins);
  assert.deepEqual([...ll], [ls[0], ins, ls[1], ls[2], extra]);
  assert.deepEqual([...ll._sub_layers.keys()], ['0', '1', '2', '3', '4']);
  ll.extend([new nn.Linear(1, 1)]);
  assert.equal(ll.length, 6);
  delete ll[1];
  assert.deepEqual([...ll].slice(0, 3), ls);
  assert.deepEqual([...ll._sub_layers.keys()], ['0', '1', '2', '3', '4']);
  const rep = new nn.Linear(7, 1);
  ll[0] = rep;
  assert.equal(ll[0], rep);
  assert.equal(ll.parameters()[0], rep.weight);
  // as a field, its parameters register under the list's name
  class Stack extends nn.Layer {
    layers = new nn.LayerList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
    override forward(x: Tensor) {
      for (const l of this.layers) x = l(x);
      return x;
    }
  }
  const s = new Stack();
  assert.deepEqual(Object.keys(s.state_dict()), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
  assert.deepEqual(s(paddle.ones([1, 2], 'float32')).shape, [1, 2]);
  assertThrows(() => ll[10], paddle.errors.OutOfRangeError, /out of range/);
  assertThrows(() => ll.insert(10, rep), paddle.errors.OutOfRangeError, /index should be an integer in range/);
});

test('ParameterList: parameters registered in order, indexing and iteration', () => {
  const host = new nn.Linear(1, 1);
  const ps = [host.create_parameter([2]), host.create_parameter([3])];
  const pl = new nn.ParameterList(ps);
  assert.equal(pl.length, 2);
  assert.equal(pl[0], ps[0]);
  assert.equal(pl[-1], ps[1]);
  assert.deepEqual([...pl], ps);
  const p3 = host.create_parameter([4], { is_bias: true });
  pl.append(p3);
  assert.deepEqual(Object.keys(pl.state_dict()), ['0', '1', '2']);
  assert.deepEqual(pl.parameters(), [...ps, p3]);
  assertThrows(() => pl.append(paddle.ones([1]) as never), paddle.errors.InvalidArgumentError, /expected a Parameter/);
});

test('printing follows Paddle: nested sublayers indented, extra_repr', () => {
  const net = new Net();
  assert.equal(
    String(net),
    [
      'Net(',
      '  (fc1): Linear(in_features=4, out_features=3, dtype=float32)',
      '  (fc2): Linear(in_features=3, out_features=2, dtype=float32)',
      '  (sub): Sequential(',
      '    (0): Linear(in_features=2, out_features=2, dtype=float32)',
      '    (1): Linear(in_features=2, out_features=1, dtype=float32)',
      '  )',
      ')',
    ].join('\n'),
  );
  assert.equal(String(new nn.Flatten()), 'Flatten()');
  class Multi extends nn.Layer {
    override extra_repr() {
      return 'a=1\nb=2';
    }
  }
  assert.equal(String(new Multi()), 'Multi(\n  a=1\n  b=2\n)');
});

test('registration rules and errors of __setattr__, add_parameter, add_sublayer, register_buffer', () => {
  const net = new Net();
  // a name keeps its kind: only a Parameter (or None) may replace a parameter
  assertThrows(() => void ((net as unknown as { w: unknown }).w = paddle.ones([1])), paddle.errors.InvalidArgumentError, /assignment to parameter 'w' should be of type Parameter or None, but got 'Tensor'/);
  assertThrows(() => void ((net as unknown as { fc1: unknown }).fc1 = 3), paddle.errors.InvalidArgumentError, /assignment to sublayer 'fc1' should be of type Layer or None/);
  (net as unknown as { fc1: unknown }).fc1 = null;
  assert.equal(net.fc1, null);
  assert.deepEqual(Object.keys(net.state_dict()).slice(0, 2), ['w', 'fc2.weight']);
  assertThrows(() => void ((net as unknown as { w: unknown }).w = new nn.Linear(1, 1)), paddle.errors.InvalidArgumentError, /should be of type Parameter or None, but got 'Linear'/);
  // a parameter assigned under a sublayer's name replaces it
  const q = net.create_parameter([1]);
  (net as unknown as { fc2: unknown }).fc2 = q;
  assert.equal((net as unknown as { fc2: unknown }).fc2, q);
  assert.ok(!net._sub_layers.has('fc2'));
  assertThrows(() => void ((net as unknown as { fc2: unknown }).fc2 = new nn.Linear(3, 2)), paddle.errors.InvalidArgumentError, /assignment to parameter 'fc2'/);
  // delete unregisters
  delete (net as unknown as { w?: unknown }).w;
  assert.equal(Reflect.has(net, 'w'), false);
  // add_parameter / add_sublayer / register_buffer
  const p = net.create_parameter([2]);
  assert.equal(net.add_parameter('p2', p), p);
  assert.equal((net as unknown as { p2: unknown }).p2, p);
  assertThrows(() => net.add_parameter('a.b', p), paddle.errors.InvalidArgumentError, /can not contain `\.`/);
  assertThrows(() => net.add_parameter('', p), paddle.errors.InvalidArgumentError, /can not be empty/);
  assertThrows(() => net.add_parameter('fc1', p), paddle.errors.InvalidArgumentError, /The parameter 'fc1' already exists/);
  assertThrows(() => net.add_parameter('train', p), paddle.errors.InvalidArgumentError, /The parameter 'train' already exists/);
  assertThrows(() => net.add_parameter('q', paddle.ones([1]) as never), paddle.errors.InvalidArgumentError, /should be a Parameter, but received Tensor/);
  const l = new nn.Linear(1, 1);
  assert.equal(net.add_sublayer('extra', l), l);
  assert.equal((net as unknown as { extra: unknown }).extra, l);
  assertThrows(() => net.add_sublayer('bad', 3 as never), paddle.errors.InvalidArgumentError, /expected a Layer/);
  assertThrows(() => net.register_buffer('fc1', paddle.ones([1])), paddle.errors.InvalidArgumentError, /attribute 'fc1' already exists/);
  assertThrows(() => net.register_buffer('b', p), paddle.errors.InvalidArgumentError, /should be a Tensor, but received ParamBase/);
  assertThrows(() => net.register_buffer('b', 3 as never), paddle.errors.InvalidArgumentError, /should be a Tensor/);
  net.register_buffer('maybe', null);
  assert.equal((net as unknown as { maybe: unknown }).maybe, null);
  assertThrows(() => net.backward(), paddle.errors.InvalidArgumentError, /shouldn't implement backward/);
});

test('to() casts floating parameters and buffers; only the CPU exists', () => {
  const b = new Block();
  b.to('cpu', 'float64');
  assert.equal(b.conv.weight.dtype, 'float64');
  assert.equal(b.scale.dtype, 'float64');
  assert.equal(b.to(new paddle.CPUPlace()), b);
  assert.deepEqual(b(paddle.ones([1, 3], 'float64')).shape, [1, 3]);
  assertThrows(() => b.to('gpu:0'), paddle.errors.UnavailableError, /not available/);
  const t = b.create_tensor('state', true);
  assert.equal(t.name, `${b.full_name()}.state`);
  assert.equal(t.persistable, true);
});
