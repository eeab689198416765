// The package as a user gets it: `npm pack` (which builds dist/), installed into a separate
// consumer project from the local tarball, imported both ways, used, and type-checked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');

test('a consumer project installs paddle-ts from a local path and imports it both ways', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-consumer-'));
  try {
    execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: root, stdio: 'pipe' });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tgz, 'npm pack made a tarball');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tgz)], { cwd: dir, stdio: 'pipe' });
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import * as paddle from 'paddle-ts';",
        "import paddleDefault from 'paddle-ts';",
        "const x: paddle.Tensor = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32', stop_gradient: false });",
        'const y = paddleDefault.multiply(x, x).add(1);',
        'y.backward();',
        "console.log(JSON.stringify({ same: paddle.add === paddleDefault.add, y: y.tolist(), g: x.grad!.tolist() }));",
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', skipLibCheck: true, types: [] }, files: ['main.ts'] }),
    );
    // Type-check and compile the consumer with the project's TypeScript against the installed declarations.
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir, stdio: 'pipe' });
    const out = execFileSync(process.execPath, [join(dir, 'out', 'main.js')], { cwd: dir }).toString();
    assert.deepEqual(JSON.parse(out), { same: true, y: [[2, 5], [10, 17]], g: [[2, 4], [6, 8]] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
