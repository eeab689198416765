// A parameter-server job (run by test/distributed/ps.test.ts through paddle-ts-launch in PS
// mode): the same program transpiled for TRAINING_ROLE; trainers print their final weights and
// the weights of the equivalent single-process run on the whole batch.
import * as paddle from '../../../src/index.js';

paddle.enable_static();
const fluid = paddle.fluid;
const role = process.env.TRAINING_ROLE ?? 'TRAINER';
const pservers = process.env.PADDLE_PSERVERS_IP_PORT_LIST!;
const trainers = Number(process.env.PADDLE_TRAINERS_NUM);
const tid = Number(process.env.PADDLE_TRAINER_ID ?? 0);
const syncMode = process.env.PS_SYNC !== '0';
const IN = 200, HID = 100, B = 8, STEPS = 3;
const val = (n: number, s: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(s + 0.37 * i) * 0.1);
const W0 = Array.from({ length: IN }, (_, i) => val(HID, i));
const W1 = Array.from({ length: HID }, (_, i) => val(1, 1000 + i));
const X = Array.from({ length: B }, (_, i) => val(IN, 50 + 3 * i));
const Y = Array.from({ length: B }, (_, i) => [Math.cos(i)]);
const attr = (v: number[][]) => new paddle.ParamAttr({ initializer: new paddle.nn.initializer.Assign(v) });

function build(): { main: paddle.static.Program; startup: paddle.static.Program; names: string[] } {
  const main = new paddle.static.Program(), startup = new paddle.static.Program();
  const names: string[] = [];
  paddle.static.program_guard(main, startup, () => {
    const x = paddle.static.data('x', [-1, IN], 'float32');
    const y = paddle.static.data('y', [-1, 1], 'float32');
    const l0 = new paddle.nn.Linear(IN, HID, { weight_attr: attr(W0) });
    const l1 = new paddle.nn.Linear(HID, 1, { weight_attr: attr(W1) });
    const out = l1.forward(paddle.tanh(l0.forward(x)));
    const loss = paddle.mean(paddle.square(paddle.subtract(out, y)));
    new paddle.optimizer.SGD({ learning_rate: 0.5 }).minimize(loss);
    names.push(l0.weight.name, l0.bias!.name, l1.weight.name, l1.bias!.name);
  });
  return { main, startup, names };
}
const flat = (t: unknown): number[] => Array.from((t as paddle.Tensor).numpy() as Float32Array, Number);

const exe = new paddle.static.Executor(new paddle.CPUPlace());
const { main, startup, names } = build();
const t = new fluid.DistributeTranspiler();
t.transpile(tid, { program: main, startup_program: startup, pservers, trainers, sync_mode: syncMode });
if (role === 'PSERVER') {
  const ep = process.env.PADDLE_CURRENT_ENDPOINT!;
  const pp = t.get_pserver_program(ep);
  const ps = t.get_startup_program(ep, pp);
  paddle.static.scope_guard(new paddle.static.Scope(), () => {
    exe.run(ps);
    exe.run(pp);
  });
  console.log('RESULT ' + JSON.stringify({ role, ep, done: true }));
} else {
  const half = B / trainers;
  const xs = X.slice(tid * half, (tid + 1) * half), ys = Y.slice(tid * half, (tid + 1) * half);
  const tp = t.get_trainer_program();
  const got = paddle.static.scope_guard(new paddle.static.Scope(), () => {
    exe.run(startup);
    for (let s = 0; s < STEPS; s++) exe.run(tp, { feed: { x: xs, y: ys }, fetch_list: [] });
    return names.map((n) => flat(paddle.static.global_scope().find_var(n)));
  });
  exe.close();
  // the single-process reference on the whole batch
  const ref = build();
  const want = paddle.static.scope_guard(new paddle.static.Scope(), () => {
    exe.run(ref.startup);
    for (let s = 0; s < STEPS; s++) exe.run(ref.main, { feed: { x: X, y: Y }, fetch_list: [] });
    return ref.names.map((n) => flat(paddle.static.global_scope().find_var(n)));
  });
  let maxDiff = 0;
  got.forEach((g, i) => g.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - want[i][j])); }));
  let moved = 0;
  want[0].forEach((v, j) => { moved = Math.max(moved, Math.abs(v - W0[Math.floor(j / HID)][j % HID])); });
  console.log('RESULT ' + JSON.stringify({ role, tid, maxDiff, moved, sizes: got.map((g) => g.length) }));
}
