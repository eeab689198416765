// The multiclass_nms benchmark of the detection issue: 1,000 boxes x 80 classes per image
// (scores [N, 80, 1000], boxes [N, 1000, 4]), the shape of a YOLO / SSD head after decoding.
// Prints median times; not a test. Also times 2,000 and 4,000 boxes, whose ratios show how
// the cost grows: each class sorts its candidates once (n log n) and compares a candidate only
// with the boxes kept so far in its class, so nothing grows with boxes x classes squared.
//   npx tsx bench/nms.ts [-- --batch 1] [-- --threshold 0.05]
import * as paddle from '../src/index.js';

const argv = process.argv.slice(2);
const arg = (name: string, d: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const batch = arg('batch', 1);
const scoreThreshold = arg('threshold', 0.05);

function median(fn: () => void, reps = 7): number {
  fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}

/** Random boxes clustered around a few objects (so NMS has work) and sparse class scores. */
function inputs(m: number, classes: number): [paddle.Tensor, paddle.Tensor] {
  paddle.seed(7);
  const centres = paddle.rand([batch, m, 2]);
  const sizes = paddle.rand([batch, m, 2]).scale(0.2).add(paddle.to_tensor(0.02));
  const boxes = paddle.concat([centres.subtract(sizes.scale(0.5)), centres.add(sizes.scale(0.5))], -1);
  // sigmoid-like scores: most small, a few high
  const scores = paddle.pow(paddle.rand([batch, classes, m]), 6);
  return [boxes, scores];
}

const L = paddle.fluid.layers;
console.log(`multiclass_nms, batch ${batch}, score_threshold ${scoreThreshold}, nms_top_k 1000, keep_top_k 100, nms_threshold 0.45`);
let base = 0;
for (const m of [1000, 2000, 4000]) {
  const [boxes, scores] = inputs(m, 80);
  let kept = 0;
  const ms = median(() => {
    kept = L.multiclass_nms(boxes, scores, scoreThreshold, 1000, 100, 0.45).shape[0];
  });
  if (m === 1000) base = ms;
  const cand = (scores.numpy() as Float32Array).filter((v) => v > scoreThreshold).length;
  console.log(`  ${String(m).padStart(5)} boxes x 80 classes: ${ms.toFixed(2).padStart(8)} ms  (${cand} candidates above the threshold, ${kept} kept)${m === 1000 ? '' : `  x${(ms / base).toFixed(2)} vs 1,000 boxes`}`);
}
// every score above the threshold: the worst case, all 80,000 (box, class) pairs are candidates
{
  const [boxes, scores] = inputs(1000, 80);
  const dense = paddle.rand([batch, 80, 1000]).scale(0.5).add(paddle.to_tensor(0.5));
  const ms = median(() => L.multiclass_nms(boxes, dense, 0.01, 1000, 100, 0.45), 5);
  void scores;
  console.log(`   1000 boxes x 80 classes, every score a candidate: ${ms.toFixed(2)} ms`);
}
