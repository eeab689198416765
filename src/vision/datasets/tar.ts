// A small reader of tar archives (plain or gzip-compressed), enough for the dataset files:
// ustar/GNU/pax headers, GNU long names ('L') and pax 'path' records, regular files only.
//
// An archive is indexed once (member name -> offset and size). A plain .tar is then read from
// the file by offset, so a multi-gigabyte archive (VOC2012) is never held in memory; a .tar.gz
// is decompressed into memory once per thread and kept in a small cache keyed by the file's
// path, size and mtime. The index is plain data, so a dataset holding it can be sent to
// DataLoader worker threads.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fail, NotFoundError } from '../../core/errors.js';

/** Where a member's bytes are in the (uncompressed) archive. */
export interface TarEntry {
  offset: number;
  size: number;
}

/** An indexed archive: `path` of the file, `gzip` when compressed, members in archive order. */
export interface TarIndex {
  path: string;
  gzip: boolean;
  names: string[];
  entries: Record<string, TarEntry>;
}

const BLOCK = 512;

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

// One decompressed archive per thread (the last one used), keyed by path, size and mtime.
let gzCache: { key: string; data: Uint8Array } | null = null;

function gunzipped(api: string, path: string): Uint8Array {
  const st = statSync(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  if (gzCache && gzCache.key === key) return gzCache.data;
  let data: Uint8Array;
  try {
    const buf = gunzipSync(readFileSync(path));
    data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    return fail(api, `cannot decompress '${path}': ${(e as Error).message} (not a valid .tar.gz file?)`);
  }
  gzCache = { key, data };
  return data;
}

/** Reads `n` bytes at `pos` of an uncompressed archive (from memory or from the file). */
type ReadAt = (pos: number, n: number) => Uint8Array;

function cString(b: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
}

/** A numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function headerNumber(b: Uint8Array, start: number, len: number): number {
  if (b[start] & 0x80) {
    let v = b[start] & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[start + i];
    return v;
  }
  const s = cString(b, start, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function checksumOk(h: Uint8Array): boolean {
  const stored = headerNumber(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === stored;
}

/** pax extended header records ("<len> key=value\n"). */
function paxRecords(b: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const text = Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
  let pos = 0;
  while (pos < text.length) {
    const sp = text.indexOf(' ', pos);
    if (sp < 0) break;
    const len = parseInt(text.slice(pos, sp), 10);
    if (!(len > 0)) break;
    const rec = text.slice(sp + 1, pos + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}

function readerFor(api: string, index: TarIndex): ReadAt {
  if (index.gzip) {
    const data = gunzipped(api, index.path);
    return (pos, n) => data.subarray(pos, pos + n);
  }
  return (pos, n) => {
    const out = new Uint8Array(n);
    const fd = openSync(index.path, 'r');
    try {
      let got = 0;
      while (got < n) {
        const k = readSync(fd, out, got, n - got, pos + got);
        if (k <= 0) break;
        got += k;
      }
      return got === n ? out : out.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  };
}

/** Indexes the archive at `path`. Fails with a message naming the file when it is not a tar. */
export function openTar(api: string, path: string): TarIndex {
  let st;
  try {
    st = statSync(path);
  } catch {
    return fail(api, `No such file: '${path}'`, NotFoundError);
  }
  if (!st.isFile()) fail(api, `'${path}' is not a file`, NotFoundError);
  const gzip = isGzip(path);
  const index: TarIndex = { path, gzip, names: [], entries: Object.create(null) as Record<string, TarEntry> };
  let total: number;
  let read: ReadAt;
  if (gzip) {
    const data = gunzipped(api, path);
    total = data.length;
    read = (pos, n) => data.subarray(pos, pos + n);
  } else {
    total = st.size;
    const fd = openSync(path, 'r');
    read = (pos, n) => {
      const out = new Uint8Array(n);
      const k = readSync(fd, out, 0, n, pos);
      return k === n ? out : out.subarray(0, Math.max(k, 0));
    };
    try {
      scan(api, path, read, total, index);
    } finally {
      closeSync(fd);
    }
    return index;
  }
  scan(api, path, read, total, index);
  return index;
}

function scan(api: string, path: string, read: ReadAt, total: number, index: TarIndex): void {
  let pos = 0;
  let longName: string | null = null;
  let pax: Record<string, string> = {};
  let headers = 0;
  while (pos + BLOCK <= total) {
    const h = read(pos, BLOCK);
    if (h.length < BLOCK) break;
    let zero = true;
    for (let i = 0; i < BLOCK; i++) if (h[i] !== 0) { zero = false; break; }
    if (zero) break; // end of archive
    if (!checksumOk(h)) {
      if (headers === 0) fail(api, `'${path}' is not a tar archive (bad header checksum)`);
      fail(api, `'${path}' is damaged: bad tar header checksum at byte ${pos}`);
    }
    headers++;
    const size = headerNumber(h, 124, 12);
    const type = h[156] === 0 ? '0' : String.fromCharCode(h[156]);
    const dataPos = pos + BLOCK;
    const next = dataPos + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = cString(read(dataPos, size), 0, size);
    } else if (type === 'x') {
      pax = paxRecords(read(dataPos, size));
    } else if (type === 'g') {
      // global pax header: nothing the datasets need
    } else {
      let name = longName ?? pax.path;
      if (name === undefined) {
        name = cString(h, 0, 100);
        const magic = cString(h, 257, 6);
        const prefix = magic.startsWith('ustar') ? cString(h, 345, 155) : '';
        if (prefix) name = `${prefix}/${name}`;
      }
      const realSize = pax.size !== undefined ? Number(pax.size) : size;
      if (type === '0' || type === '7') {
        if (!(name in index.entries)) index.names.push(name);
        index.entries[name] = { offset: dataPos, size: realSize };
      }
      longName = null;
      pax = {};
      if (realSize !== size) {
        pos = dataPos + Math.ceil(realSize / BLOCK) * BLOCK;
        continue;
      }
    }
    pos = next;
  }
  if (headers === 0) fail(api, `'${path}' is not a tar archive (no members found)`);
}

/** Frees this thread's decompressed copy of a .tar.gz (after reading everything needed from it). */
export function releaseTar(index: TarIndex): void {
  if (gzCache && gzCache.key.startsWith(`${index.path}\0`)) gzCache = null;
}

/** The entry for `name` (also found when the archive stores it as './name'). */
export function tarEntry(index: TarIndex, name: string): TarEntry | undefined {
  return index.entries[name] ?? index.entries[`./${name}`];
}

/** The bytes of member `name`; fails naming the archive when it is missing. */
export function readTarMember(api: string, index: TarIndex, name: string): Uint8Array {
  const e = tarEntry(index, name);
  if (!e) return fail(api, `'${index.path}' has no member '${name}'`, NotFoundError);
  return readerFor(api, index)(e.offset, e.size);
}
