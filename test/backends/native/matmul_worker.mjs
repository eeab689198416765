// Worker body for gemm.test.ts: multiplies seeded matrices many times on its own JS thread
// (sharing the process's native thread pool with the main thread) and posts the result.
import { register } from 'tsx/esm/api';
import { parentPort } from 'node:worker_threads';

register();
const paddle = await import('../../../src/index.ts');
paddle.seed(11);
const a = paddle.randn([96, 80]);
const b = paddle.randn([80, 70]);
let c = paddle.matmul(a, b);
for (let i = 0; i < 200; i++) c = paddle.matmul(a, b);
parentPort.postMessage(Array.from(c.numpy()));
