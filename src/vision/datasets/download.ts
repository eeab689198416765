// Where dataset files and pretrained weights live, and fetching them: Paddle 2.0's
// paddle.dataset.common (DATA_HOME, md5file, download, _check_exists_and_download) and
// paddle.utils.download (WEIGHTS_HOME, get_weights_path_from_url).
//
// Files are looked up in Paddle's own cache directories, so a cache filled by Python Paddle
// works as is: ~/.cache/paddle/dataset/<module>/<file name of the URL> for datasets and
// ~/.cache/paddle/hapi/weights/<file name of the URL> for weights (the home directory is read
// at each call, from $HOME). A cached file is used when its md5 matches Paddle's published one;
// otherwise it is downloaded (at most 3 attempts, checked against the md5 again). Nothing is
// fetched at import time.
//
// Paddle's dataset constructors are synchronous, and so are these: the download runs in a child
// Node process (fetch) that this process waits for. Without a network it fails within a second
// (DNS failure) or after CONNECT_TIMEOUT_MS, and the error names the file to place and where.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { fail, NotFoundError, UnavailableError } from '../../core/errors.js';

/** How long a download may wait for the server's response headers. */
const CONNECT_TIMEOUT_MS = 20000;
/** Paddle's retry limit for dataset downloads. */
const RETRY_LIMIT = 3;

/** Paddle's DATA_HOME: ~/.cache/paddle/dataset. */
export function dataHome(): string {
  return join(homedir(), '.cache', 'paddle', 'dataset');
}

/** Paddle's WEIGHTS_HOME: ~/.cache/paddle/hapi/weights. */
export function weightsHome(): string {
  return join(homedir(), '.cache', 'paddle', 'hapi', 'weights');
}

/** The md5 of a file, as hex (Paddle's md5file). */
export function md5file(path: string): string {
  const h = createHash('md5');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(n === buf.length ? buf : buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

// The child process's program: fetches argv[1] into argv[2] (through argv[2] + '_tmp'), and
// reports failures on stderr. Plain JavaScript, run with `node -e`.
const FETCH_PROGRAM = `
const [url, dest, timeout] = process.argv.slice(1);
const fs = require('node:fs');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
(async () => {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error('no response within ' + timeout + ' ms')), Number(timeout));
  let res;
  try { res = await fetch(url, { signal: ctl.signal, redirect: 'follow' }); }
  finally { clearTimeout(timer); }
  if (!res.ok || !res.body) throw new Error('the server answered HTTP ' + res.status);
  await pipeline(Readable.fromWeb(res.body), fs.createWriteStream(dest + '_tmp'));
  fs.renameSync(dest + '_tmp', dest);
})().catch((e) => {
  const c = e && e.cause;
  process.stderr.write(String((e && e.message) || e) + (c ? ' (' + (c.code || c.message || c) + ')' : ''));
  process.exit(1);
});
`;

/** Downloads `url` to `dest` in a child process; returns an error text, or null on success. */
function fetchSync(url: string, dest: string): string | null {
  const r = spawnSync(process.execPath, ['-e', FETCH_PROGRAM, url, dest, String(CONNECT_TIMEOUT_MS)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (r.error) return r.error.message;
  if (r.status !== 0) {
    rmSync(dest + '_tmp', { force: true });
    return (r.stderr || `exit code ${r.status}`).trim();
  }
  return null;
}

/**
 * Returns the path of `url`'s file in `dir` (created if needed), downloading it when it is
 * missing or its md5 is not `md5` (null: no check). Fails with an error that names the file to
 * place and where when it cannot be fetched.
 */
export function getPathFromUrl(api: string, url: string, dir: string, md5: string | null, hint = 'or pass its path explicitly'): string {
  const file = join(dir, basename(new URL(url).pathname));
  let seenMd5: string | null = null;
  if (isFile(file)) {
    if (md5 === null) return file;
    seenMd5 = md5file(file);
    if (seenMd5 === md5) return file;
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    fail(api, `cannot create the cache directory ${dir}: ${(e as Error).message}`, UnavailableError);
  }
  let lastError = '';
  for (let attempt = 0; attempt < RETRY_LIMIT; attempt++) {
    const err = fetchSync(url, file);
    if (err === null) {
      if (md5 === null) return file;
      const got = md5file(file);
      if (got === md5) return file;
      lastError = `the downloaded file has md5 ${got}, expected ${md5}`;
      continue;
    }
    lastError = err;
    // a network failure (no route, no DNS) will not change by retrying at once
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|no response within/.test(err)) break;
  }
  const what = basename(file);
  const found = seenMd5 !== null ? ` The file there has md5 ${seenMd5}, not the expected ${md5} (incomplete, or another version of the file).` : '';
  const cls = existsSync(file) ? UnavailableError : NotFoundError;
  return fail(
    api,
    `cannot download ${url} (${lastError}).${found} Place the file ${what} at ${file}` +
      (md5 ? ` (md5 ${md5})` : '') + `, ${hint}`,
    cls,
  );
}

/**
 * Paddle's `_check_exists_and_download` as the datasets call it with no path: the file of `url`
 * in ~/.cache/paddle/dataset/<moduleName>/, downloaded if needed.
 */
export function checkExistsAndDownload(api: string, url: string, md5: string, moduleName: string, hint?: string): string {
  return getPathFromUrl(api, url, join(dataHome(), moduleName), md5, hint);
}

/** paddle.utils.download.get_weights_path_from_url: the file of `url` in ~/.cache/paddle/hapi/weights. */
export function getWeightsPathFromUrl(api: string, url: string, md5: string | null = null, hint?: string): string {
  return getPathFromUrl(api, url, weightsHome(), md5, hint);
}

/**
 * The path a dataset reads: the one given (which must exist), or the cached download when
 * null. `arg` names the argument in messages (e.g. 'image_path').
 */
export function resolveDataFile(api: string, path: string | null, arg: string, download: boolean, url: string, md5: string, moduleName: string): string {
  if (path !== null) {
    if (!isFile(path)) fail(api, `${arg} '${path}' does not exist or is not a file`, NotFoundError);
    return path;
  }
  if (!download) {
    const file = join(dataHome(), moduleName, basename(new URL(url).pathname));
    fail(api, `${arg} is not set and downloading automatically is disabled: pass ${arg}, or place ${basename(file)} at ${file} and set download=True`, NotFoundError);
  }
  return checkExistsAndDownload(api, url, md5, moduleName, `or pass the file's path as ${arg}`);
}
