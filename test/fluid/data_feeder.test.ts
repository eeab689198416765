// fluid.DataFeeder (samples -> feed dict of LoDTensors following each variable's dtype, shape
// and lod_level) on a fluid.data program, and fluid.DataFeedDesc (text proto parse/edit/print).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;
const place = new paddle.CPUPlace();

test('DataFeeder converts samples per variable (dtype, shape, LoD) and feeds an Executor', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = fluid.data('x', [null, 2], 'float32');
      const label = fluid.data('label', [null, 1], 'int64');
      const words = fluid.data('words', [null, 1], 'int64', 1);
      const img = fluid.data('img', [null, 2, 2], 'float64');
      const feeder = new fluid.DataFeeder([x, 'label', words, img], place);
      assert.deepEqual(feeder.feed_names, ['x', 'label', 'words', 'img']);
      assert.deepEqual(feeder.feed_lod_level, [0, 0, 1, 0]);
      const batch = [
        [[1, 2], [0], [3, 4, 5], [1, 2, 3, 4]], // img given flat: reshaped to the variable's [-1, 2, 2]
        [new Float32Array([3, 4]), [1], [6], [5, 6, 7, 8]],
      ];
      const feed = feeder.feed(batch);
      assert.deepEqual(Object.keys(feed), ['x', 'label', 'words', 'img']);
      assert.ok(feed.x instanceof fluid.LoDTensor);
      assert.deepEqual(feed.x.shape(), [2, 2]);
      assert.equal(feed.x._dtype(), 'float32');
      assert.deepEqual(feed.label.shape(), [2, 1]);
      assert.equal(feed.label._dtype(), 'int64');
      assert.deepEqual(feed.words.shape(), [4, 1]);
      assert.deepEqual(feed.words.recursive_sequence_lengths(), [[3, 1]]);
      assert.deepEqual(feed.words.tolist(), [[3], [4], [5], [6]]);
      assert.deepEqual(feed.img.shape(), [2, 2, 2]);
      assert.equal(feed.img._dtype(), 'float64');

      const y = paddle.add(paddle.sum(x, { axis: 1, keepdim: true }), paddle.cast(label, 'float32'));
      const w2 = paddle.scale(words, 10);
      const exe = new paddle.static.Executor(place);
      const [yv, wv] = exe.run(main, { feed, fetch_list: [y, w2], return_numpy: false }) as unknown as paddle.fluid.LoDTensor[];
      assertClose(yv, [[3], [8]]);
      assert.deepEqual(wv.tolist(), [[30], [40], [50], [60]]);
      assert.deepEqual(wv.recursive_sequence_lengths(), [[3, 1]]);

      // a two-level LoD variable: paragraphs of sentences of words
      const para = fluid.data('para', [null, 1], 'int64', 2);
      const f2 = new fluid.DataFeeder([para], place).feed([[[[1, 2], [3]]], [[[4]]]]);
      assert.deepEqual(f2.para.recursive_sequence_lengths(), [[2, 1], [2, 1, 1]]);
      assert.deepEqual(f2.para.tolist(), [[1], [2], [3], [4]]);

      // feed_parallel: one batch per place (CPU_NUM, 1 by default)
      const par = [...feeder.feed_parallel([batch])];
      assert.equal(par.length, 1);
      assertThrows(() => [...feeder.feed_parallel([batch, batch])], paddle.errors.InvalidArgumentError, /number of devices and number of mini-batches must be same/);
      // decorate_reader: a batch reader -> a reader of feed dicts
      const reader = feeder.decorate_reader(function* () {
        yield batch;
        yield batch.slice(0, 1);
      }, false);
      const dicts = [...reader()] as Record<string, paddle.fluid.LoDTensor>[];
      assert.equal(dicts.length, 2);
      assert.deepEqual(dicts[1].x.shape(), [1, 2]);

      assertThrows(() => feeder.feed([[[1, 2], [0]]]), paddle.errors.InvalidArgumentError, /The number of fields in data \(2\) does not match len\(feed_list\) \(4\)/);
      assertThrows(() => new fluid.DataFeeder([x], place).feed([[5]]), paddle.errors.InvalidArgumentError, /Reshape error. What is defined in data layer is \[-1, 2\], but receive \[1\]/);
      assertThrows(() => new fluid.DataFeeder([words], place).feed([[5]]), paddle.errors.InvalidArgumentError, /must be a sequence/);
      assertThrows(() => new fluid.DataFeeder([3 as never], place), paddle.errors.InvalidArgumentError, /list of variable/);
      assertThrows(() => new fluid.DataFeeder(['nope'], place), paddle.errors.NotFoundError, /nope/);
    });
  } finally {
    paddle.disable_static();
  }
});

const PROTO = `name: "MultiSlotDataFeed"
batch_size: 2
multi_slot_desc {
    slots {
         name: "words"
         type: "uint64"
         is_dense: false
         is_used: true
     }
     slots {
         name: "label"
         type: "uint64"
         is_dense: false
         is_used: true
    }
}
`;

test('DataFeedDesc parses a text proto, edits it and prints it as text_format does', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddle-ts-feeddesc-'));
  const file = path.join(dir, 'data.proto');
  fs.writeFileSync(file, PROTO);
  const desc = new fluid.DataFeedDesc(file);
  assert.equal(desc.proto_desc.batch_size, 2);
  desc.set_batch_size(128);
  desc.set_dense_slots(['words']);
  desc.set_use_slots(['words', 'label']);
  assert.equal(
    desc.desc(),
    [
      'name: "MultiSlotDataFeed"',
      'batch_size: 128',
      'multi_slot_desc {',
      '  slots {',
      '    name: "words"',
      '    type: "uint64"',
      '    is_dense: true',
      '    is_used: true',
      '  }',
      '  slots {',
      '    name: "label"',
      '    type: "uint64"',
      '    is_dense: false',
      '    is_used: true',
      '  }',
      '}',
      'pipe_command: "cat"',
      '',
    ].join('\n'),
  );
  // unset optional fields stay unprinted; comments, shapes, `<>` and ';' are understood
  fs.writeFileSync(file, '# a comment\nname: "MultiSlotDataFeed" ; thread_num: 4\nmulti_slot_desc < slots { name: \'img\' type: "float" shape: [3, 2] shape: 1 } >\npipe_command: "python reader.py"\n');
  const d2 = new fluid.DataFeedDesc(file);
  d2.set_use_slots(['img']);
  assert.equal(d2.desc(), 'name: "MultiSlotDataFeed"\nmulti_slot_desc {\n  slots {\n    name: "img"\n    type: "float"\n    is_used: true\n    shape: 3\n    shape: 2\n    shape: 1\n  }\n}\npipe_command: "python reader.py"\nthread_num: 4\n');
  assertThrows(() => d2.set_dense_slots(['nope']), paddle.errors.NotFoundError, /no slot named 'nope'/);

  fs.writeFileSync(file, 'name: "OtherFeed"\nbatch_size: 3\n');
  const d3 = new fluid.DataFeedDesc(file);
  assertThrows(() => d3.set_dense_slots(['a']), paddle.errors.InvalidArgumentError, /Only MultiSlotDataFeed needs set_dense_slots/);
  fs.writeFileSync(file, 'name: "X"\nbatch: 3\n');
  assertThrows(() => new fluid.DataFeedDesc(file), paddle.errors.InvalidArgumentError, /2:1 : Message type "paddle.framework.DataFeedDesc" has no field named "batch"/);
  fs.writeFileSync(file, 'batch_size: "3"\n');
  assertThrows(() => new fluid.DataFeedDesc(file), paddle.errors.InvalidArgumentError, /Expected integer/);
  fs.writeFileSync(file, 'multi_slot_desc { slots { name: "a" } }\n');
  assertThrows(() => new fluid.DataFeedDesc(file), paddle.errors.InvalidArgumentError, /missing required field "type"/);
  assertThrows(() => new fluid.DataFeedDesc(path.join(dir, 'none.proto')), paddle.errors.NotFoundError, /cannot read/);
});
