// Fit a line with autograd and a hand-written SGD step, as a Paddle user would in Python.
// Run: npx tsx examples/fit_a_line.ts
import * as paddle from '../src/index.js';

paddle.seed(2021);
// Data: y = 2x + 3 plus a little noise.
const x = paddle.rand([256, 1]);
const y = paddle.add(paddle.multiply(x, 2), 3).add(paddle.multiply(paddle.randn([256, 1]), 0.01));

// Parameters of y_hat = x @ w + b.
const w = paddle.zeros([1, 1]);
const b = paddle.zeros([1]);
w.stop_gradient = false;
b.stop_gradient = false;

const lr = 0.5;
for (let step = 1; step <= 200; step++) {
  const pred = paddle.add(paddle.matmul(x, w), b);
  const loss = paddle.mean(paddle.square(paddle.subtract(pred, y)));
  loss.backward();
  paddle.no_grad(() => {
    // the SGD step, in place on the parameters' data
    for (const p of [w, b]) p.set_value(paddle.subtract(p, paddle.multiply(p.grad!, lr)));
  });
  w.clear_gradient();
  b.clear_gradient();
  if (step % 40 === 0 || step === 1) console.log(`step ${String(step).padStart(3)}  loss ${(loss.item() as number).toFixed(6)}`);
}
console.log(`learned w = ${(w.item() as number).toFixed(4)} (true 2), b = ${(b.item() as number).toFixed(4)} (true 3)`);
console.log(String(w));
