// The tensor API issue's completeness check: every name of the catalog's `paddle` namespace
// and every paddle.Tensor method is exported and exercised by some test, and
// docs/api-list.md (the project's list of implemented names) is fresh.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { catalogDir, catalogRows, exported, generate } from '../../scripts/api-list.js';

const here = import.meta.dirname;
const haveCatalog = existsSync(catalogDir + 'catalog.tsv');
// Names of the `paddle` namespace that other issues deliver (paddle.Model and friends, DataParallel).
const OTHER_ISSUES = new Set(['DataParallel']);

function testCorpus(): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.test.ts') && !p.endsWith('catalog.test.ts')) files.push(p);
    }
  };
  walk(resolve(here, '..'));
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

test('every name of the paddle namespace and every Tensor method is exported and used in a test', { skip: haveCatalog ? false : 'the catalog in ../shared/paddle-api is absent' }, () => {
  const corpus = testCorpus();
  const notExported: string[] = [];
  const untested: string[] = [];
  for (const r of catalogRows()) {
    if (r.namespace !== 'paddle' && r.namespace !== 'paddle.Tensor') continue;
    if (r.namespace === 'paddle' && OTHER_ISSUES.has(r.name)) continue;
    if (!exported(r.namespace, r.name)) notExported.push(`${r.namespace}.${r.name}`);
    const word = new RegExp(`(?<![A-Za-z0-9_])${r.name.replace(/[$]/g, '\\$')}(?![A-Za-z0-9_])`);
    if (!word.test(corpus)) untested.push(`${r.namespace}.${r.name}`);
  }
  assert.deepEqual(notExported, [], 'not exported');
  assert.deepEqual(untested, [], 'exported but never used in a test');
});

test('docs/api-list.md is fresh', { skip: haveCatalog ? false : 'the catalog in ../shared/paddle-api is absent' }, () => {
  const file = resolve(here, '..', '..', 'docs', 'api-list.md');
  assert.ok(existsSync(file), 'docs/api-list.md exists (npx tsx scripts/api-list.ts)');
  assert.equal(readFileSync(file, 'utf8'), generate(), 'docs/api-list.md is stale: run npx tsx scripts/api-list.ts');
});
