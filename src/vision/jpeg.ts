// A baseline + progressive Huffman JPEG decoder that reproduces libjpeg-turbo's default output
// (the library behind cv2.imread and Pillow): its integer "ISLOW" inverse DCT, its "fancy"
// chroma upsampling and its fixed-point YCbCr -> RGB conversion, so decoded pixels are the
// same bytes cv2 and PIL get. Frames it does not handle (arithmetic coding, lossless, 12-bit,
// 4-component CMYK/YCCK) are reported as unsupported so the caller can fall back.
// Internal to paddle.vision.image_load.

export class JpegUnsupported extends Error {}
export class JpegCorrupt extends Error {}

const ZIGZAG = new Int32Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63,
]);

interface Huffman {
  /** 9-bit lookahead: (length << 8) | value, 0 when the code is longer. */
  look: Int32Array;
  maxcode: Int32Array; // per length 1..16 (index 17 sentinel)
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxcode = new Int32Array(18).fill(-1), valptr = new Int32Array(17), mincode = new Int32Array(17);
  const look = new Int32Array(512);
  let code = 0, k = 0;
  for (let len = 1; len <= 16; len++) {
    valptr[len] = k;
    mincode[len] = code;
    for (let i = 0; i < counts[len - 1]; i++) {
      if (len <= 9) {
        const shift = 9 - len;
        const base = code << shift;
        for (let j = 0; j < 1 << shift; j++) look[base + j] = (len << 8) | values[k];
      }
      code++;
      k++;
    }
    maxcode[len] = counts[len - 1] ? code - 1 : -1;
    code <<= 1;
  }
  maxcode[17] = 0x7fffffff;
  return { look, maxcode, valptr, mincode, values };
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  bw: number; // blocks per line (real)
  bh: number; // blocks per column (real)
  bwm: number; // blocks per line, padded to whole MCUs
  bhm: number;
  coefs: Int32Array;
  pred: number;
  dc: Huffman | null;
  ac: Huffman | null;
}

export interface JpegFrame {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB) channels, row-major. */
  c: 1 | 3;
  data: Uint8Array;
}

/** Decodes JPEG bytes like libjpeg-turbo with default settings (to gray or RGB). */
export function decodeJpegExact(data: Uint8Array, rgbColorspace: (ids: number[]) => boolean): JpegFrame {
  const qt: (Int32Array | undefined)[] = [];
  const dcTables: (Huffman | undefined)[] = [], acTables: (Huffman | undefined)[] = [];
  let comps: Component[] = [];
  let width = 0, height = 0, maxH = 1, maxV = 1, mcusX = 0, mcusY = 0;
  let progressive = false, frameSeen = false, restart = 0;
  let pos = 2;
  const u16 = (p: number): number => (data[p] << 8) | data[p + 1];
  const need = (n: number): void => {
    if (pos + n > data.length) throw new JpegCorrupt('unexpected end of file');
  };
  let scans = 0;
  for (;;) {
    if (scans > 0 && pos + 2 > data.length) break; // no EOI after the scans: libjpeg warns and goes on
    need(2);
    if (data[pos] !== 0xff) {
      // Extraneous bytes before a marker: libjpeg skips them (with a warning).
      if (scans === 0) throw new JpegCorrupt(`expected a marker at byte ${pos}`);
      pos++;
      continue;
    }
    const m = data[pos + 1];
    if (m === 0xff) { pos++; continue; }
    pos += 2;
    if (m === 0xd9) break; // EOI
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue;
    need(2);
    const len = u16(pos);
    need(len);
    const end = pos + len;
    let p = pos + 2;
    if (m === 0xdb) {
      while (p < end) {
        const pq = data[p] >> 4, tq = data[p] & 15;
        p++;
        const t = new Int32Array(64);
        for (let i = 0; i < 64; i++) {
          t[ZIGZAG[i]] = pq ? u16(p) : data[p];
          p += pq ? 2 : 1;
        }
        qt[tq] = t;
      }
    } else if (m === 0xc4) {
      while (p < end) {
        const tc = data[p] >> 4, th = data[p] & 15;
        const counts = data.subarray(p + 1, p + 17);
        let n = 0;
        for (let i = 0; i < 16; i++) n += counts[i];
        const values = data.slice(p + 17, p + 17 + n);
        (tc === 0 ? dcTables : acTables)[th] = buildHuffman(counts, values);
        p += 17 + n;
      }
    } else if (m === 0xdd) {
      restart = u16(p);
    } else if (m === 0xc0 || m === 0xc1 || m === 0xc2) {
      if (frameSeen) throw new JpegUnsupported('more than one frame');
      frameSeen = true;
      progressive = m === 0xc2;
      if (data[p] !== 8) throw new JpegUnsupported(`${data[p]}-bit samples`);
      height = u16(p + 1);
      width = u16(p + 3);
      const nc = data[p + 5];
      if (nc !== 1 && nc !== 3) throw new JpegUnsupported(`${nc} components`);
      if (width === 0 || height === 0) throw new JpegUnsupported('a frame without a height (DNL)');
      comps = [];
      for (let i = 0; i < nc; i++) {
        const q = p + 6 + 3 * i;
        const h = data[q + 1] >> 4, v = data[q + 1] & 15;
        if (h < 1 || h > 4 || v < 1 || v > 4) throw new JpegCorrupt('bad sampling factors');
        comps.push({ id: data[q], h, v, tq: data[q + 2], bw: 0, bh: 0, bwm: 0, bhm: 0, coefs: new Int32Array(0), pred: 0, dc: null, ac: null });
      }
      maxH = Math.max(...comps.map((c) => c.h));
      maxV = Math.max(...comps.map((c) => c.v));
      mcusX = Math.ceil(width / (8 * maxH));
      mcusY = Math.ceil(height / (8 * maxV));
      for (const c of comps) {
        c.bw = Math.ceil((width * c.h) / (maxH * 8));
        c.bh = Math.ceil((height * c.v) / (maxV * 8));
        c.bwm = mcusX * c.h;
        c.bhm = mcusY * c.v;
        c.coefs = new Int32Array(c.bwm * c.bhm * 64);
      }
    } else if (m >= 0xc3 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      throw new JpegUnsupported(`frame type SOF${m - 0xc0} (lossless or arithmetic coding)`);
    } else if (m === 0xda) {
      if (!frameSeen) throw new JpegCorrupt('scan before frame header');
      const ns = data[p];
      const sc: Component[] = [];
      for (let i = 0; i < ns; i++) {
        const cid = data[p + 1 + 2 * i], tbl = data[p + 2 + 2 * i];
        const c = comps.find((x) => x.id === cid);
        if (!c) throw new JpegCorrupt(`scan names unknown component ${cid}`);
        c.dc = dcTables[tbl >> 4] ?? null;
        c.ac = acTables[tbl & 15] ?? null;
        sc.push(c);
      }
      const q = p + 1 + 2 * ns;
      const ss = data[q], se = data[q + 1], ah = data[q + 2] >> 4, al = data[q + 2] & 15;
      pos = decodeScan(data, end, sc, progressive, ss, se, ah, al, restart, mcusX, mcusY);
      scans++;
      continue;
    }
    pos = end;
  }
  if (!frameSeen || comps.length === 0) throw new JpegCorrupt('no frame');
  for (const c of comps) if (!qt[c.tq]) throw new JpegCorrupt('missing quantization table');
  // IDCT every block into a plane per component, at the component's own resolution.
  const planes = comps.map((c) => {
    const pw = c.bwm * 8;
    const plane = new Uint8Array(pw * c.bhm * 8);
    const q = qt[c.tq]!;
    const ws = new Float64Array(64);
    for (let by = 0; by < c.bh; by++)
      for (let bx = 0; bx < c.bw; bx++) idctIslow(c.coefs, (by * c.bwm + bx) * 64, q, ws, plane, by * 8 * pw + bx * 8, pw);
    return plane;
  });
  if (comps.length === 1) {
    const c = comps[0];
    const pw = c.bwm * 8;
    const out = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) out.set(planes[0].subarray(y * pw, y * pw + width), y * width);
    return { width, height, c: 1, data: out };
  }
  const full = comps.map((c, k) => {
    const dw = Math.ceil((width * c.h) / maxH), dh = Math.ceil((height * c.v) / maxV);
    const hf = maxH / c.h, vf = maxV / c.v;
    if (!Number.isInteger(hf) || !Number.isInteger(vf)) throw new JpegUnsupported('fractional chroma sampling');
    const pw = c.bwm * 8;
    const plane = new Uint8Array(dw * dh);
    for (let y = 0; y < dh; y++) plane.set(planes[k].subarray(y * pw, y * pw + dw), y * dw);
    const up = upsampleLibjpeg(plane, dw, dh, hf, vf);
    const uw = dw * hf;
    if (uw === width) return up;
    const o = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) o.set(up.subarray(y * uw, y * uw + width), y * width);
    return o;
  });
  const out = new Uint8Array(width * height * 3);
  const [P0, P1, P2] = full;
  const n = width * height;
  if (rgbColorspace(comps.map((c) => c.id))) {
    for (let i = 0; i < n; i++) { out[3 * i] = P0[i]; out[3 * i + 1] = P1[i]; out[3 * i + 2] = P2[i]; }
  } else {
    const t = yccTables();
    for (let i = 0; i < n; i++) {
      const y = P0[i], cb = P1[i], cr = P2[i];
      const r = y + t.crR[cr], g = y + ((t.cbG[cb] + t.crG[cr]) >> 16), b = y + t.cbB[cb];
      out[3 * i] = r < 0 ? 0 : r > 255 ? 255 : r;
      out[3 * i + 1] = g < 0 ? 0 : g > 255 ? 255 : g;
      out[3 * i + 2] = b < 0 ? 0 : b > 255 ? 255 : b;
    }
  }
  return { width, height, c: 3, data: out };
}

/** Decodes one scan's entropy-coded data starting at `start`; returns the position of the next marker. */
function decodeScan(
  data: Uint8Array, start: number, sc: Component[], progressive: boolean, ss: number, se: number, ah: number, al: number,
  restart: number, mcusX: number, mcusY: number,
): number {
  let pos = start, buf = 0, cnt = 0, marker = false, eofBytes = 0;
  const len = data.length;
  const fill = (): void => {
    while (cnt <= 24) {
      let b = 0;
      if (!marker && pos >= len) {
        // Past the end of the file: feed zeros, and fail below if they were actually used.
        if (++eofBytes > 4) throw new JpegCorrupt('unexpected end of file in scan data (truncated file)');
      } else if (!marker) {
        b = data[pos];
        if (b === 0xff) {
          const nx = data[pos + 1];
          if (nx === 0) pos += 2;
          else if (nx === 0xff) { pos++; continue; }
          else { marker = true; b = 0; }
        } else pos++;
      }
      buf = ((buf << 8) | b) >>> 0;
      cnt += 8;
    }
  };
  const bits = (n: number): number => {
    if (n === 0) return 0;
    if (cnt < n) fill();
    cnt -= n;
    return (buf >>> cnt) & ((1 << n) - 1);
  };
  const bit = (): number => {
    if (cnt < 1) fill();
    cnt--;
    return (buf >>> cnt) & 1;
  };
  const decode = (t: Huffman | null): number => {
    if (!t) throw new JpegCorrupt('missing Huffman table');
    if (cnt < 16) fill();
    const e = t.look[(buf >>> (cnt - 9)) & 511];
    if (e) {
      cnt -= e >> 8;
      return e & 255;
    }
    let code = (buf >>> (cnt - 9)) & 511;
    cnt -= 9;
    let l = 9;
    while (code > t.maxcode[l]) {
      code = (code << 1) | bit();
      if (++l > 16) throw new JpegCorrupt('bad Huffman code');
    }
    return t.values[t.valptr[l] + code - t.mincode[l]];
  };
  const extend = (v: number, s: number): number => (v < 1 << (s - 1) ? v - (1 << s) + 1 : v);
  const receiveExtend = (s: number): number => (s === 0 ? 0 : extend(bits(s), s));
  let eobrun = 0;

  const blockBaseline = (c: Component, off: number): void => {
    const co = c.coefs;
    const t = decode(c.dc);
    c.pred += receiveExtend(t);
    co[off] = c.pred;
    for (let k = 1; k < 64; ) {
      const rs = decode(c.ac);
      const s = rs & 15, r = rs >> 4;
      if (s === 0) {
        if (r < 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) throw new JpegCorrupt('bad AC coefficient index');
      co[off + ZIGZAG[k]] = receiveExtend(s);
      k++;
    }
  };
  const blockDcFirst = (c: Component, off: number): void => {
    const t = decode(c.dc);
    c.pred += receiveExtend(t);
    c.coefs[off] = c.pred * (1 << al);
  };
  const blockDcRefine = (c: Component, off: number): void => {
    if (bit()) c.coefs[off] |= 1 << al;
  };
  const blockAcFirst = (c: Component, off: number): void => {
    if (eobrun > 0) { eobrun--; return; }
    const co = c.coefs;
    for (let k = ss; k <= se; ) {
      const rs = decode(c.ac);
      const s = rs & 15, r = rs >> 4;
      if (s === 0) {
        if (r < 15) {
          eobrun = (1 << r) - 1 + bits(r);
          break;
        }
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) throw new JpegCorrupt('bad AC coefficient index');
      co[off + ZIGZAG[k]] = receiveExtend(s) * (1 << al);
      k++;
    }
  };
  const blockAcRefine = (c: Component, off: number): void => {
    const co = c.coefs;
    const p1 = 1 << al, m1 = -1 << al;
    let k = ss;
    if (eobrun === 0) {
      for (; k <= se; k++) {
        const rs = decode(c.ac);
        let s = rs & 15, r = rs >> 4;
        if (s) s = bit() ? p1 : m1;
        else if (r !== 15) {
          eobrun = 1 << r;
          if (r) eobrun += bits(r);
          break;
        }
        do {
          const z = off + ZIGZAG[k];
          if (co[z] !== 0) {
            if (bit() && (co[z] & p1) === 0) co[z] += co[z] >= 0 ? p1 : m1;
          } else if (--r < 0) break;
          k++;
        } while (k <= se);
        if (s && k <= 63) co[off + ZIGZAG[k]] = s;
      }
    }
    if (eobrun > 0) {
      for (; k <= se; k++) {
        const z = off + ZIGZAG[k];
        if (co[z] !== 0 && bit() && (co[z] & p1) === 0) co[z] += co[z] >= 0 ? p1 : m1;
      }
      eobrun--;
    }
  };
  const fn = !progressive ? blockBaseline : ss === 0 ? (ah === 0 ? blockDcFirst : blockDcRefine) : ah === 0 ? blockAcFirst : blockAcRefine;
  if (progressive && ss === 0 && se !== 0) throw new JpegCorrupt('bad progression (DC and AC in one scan)');
  for (const c of sc) c.pred = 0;

  const single = sc.length === 1;
  const total = single ? sc[0].bw * sc[0].bh : mcusX * mcusY;
  for (let n = 0; n < total; n++) {
    if (restart && n > 0 && n % restart === 0) {
      // Byte-align, expect an RSTn marker, reset predictions.
      cnt = 0;
      buf = 0;
      marker = false;
      while (pos + 1 < len && !(data[pos] === 0xff && data[pos + 1] >= 0xd0 && data[pos + 1] <= 0xd7)) pos++;
      pos += 2;
      for (const c of sc) c.pred = 0;
      eobrun = 0;
    }
    if (single) {
      const c = sc[0];
      const by = Math.floor(n / c.bw), bx = n % c.bw;
      fn(c, (by * c.bwm + bx) * 64);
    } else {
      const my = Math.floor(n / mcusX), mx = n % mcusX;
      for (const c of sc)
        for (let v = 0; v < c.v; v++)
          for (let h = 0; h < c.h; h++) fn(c, ((my * c.v + v) * c.bwm + mx * c.h + h) * 64);
    }
  }
  if (eofBytes * 8 > cnt) throw new JpegCorrupt('unexpected end of file in scan data (truncated file)');
  // Find the marker that ends the scan.
  while (pos + 1 < len && !(data[pos] === 0xff && data[pos + 1] !== 0 && !(data[pos + 1] >= 0xd0 && data[pos + 1] <= 0xd7))) pos++;
  return pos;
}

// libjpeg's jidctint.c (ISLOW): 13-bit constants, 2 extra bits after the first pass.
const F0298 = 2446, F0390 = 3196, F0541 = 4433, F0765 = 6270, F0899 = 7373, F1175 = 9633, F1501 = 12299,
  F1847 = 15137, F1961 = 16069, F2053 = 16819, F2562 = 20995, F3072 = 25172;
const fdiv = (x: number, n: number): number => Math.floor(x / n);
function rangeLimit(x: number): number {
  const v = ((x + 512) & 1023) - 512 + 128; // libjpeg's masked post-IDCT range table
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
function idctIslow(co: Int32Array, off: number, q: Int32Array, ws: Float64Array, out: Uint8Array, o: number, stride: number): void {
  for (let c = 0; c < 8; c++) {
    const i0 = off + c;
    if (co[i0 + 8] === 0 && co[i0 + 16] === 0 && co[i0 + 24] === 0 && co[i0 + 32] === 0 && co[i0 + 40] === 0 && co[i0 + 48] === 0 && co[i0 + 56] === 0) {
      const dc = co[i0] * q[c] * 4;
      for (let r = 0; r < 8; r++) ws[r * 8 + c] = dc;
      continue;
    }
    let z2 = co[i0 + 16] * q[16 + c], z3 = co[i0 + 48] * q[48 + c];
    let z1 = (z2 + z3) * F0541;
    let tmp2 = z1 - z3 * F1847;
    let tmp3 = z1 + z2 * F0765;
    z2 = co[i0] * q[c];
    z3 = co[i0 + 32] * q[32 + c];
    let tmp0 = (z2 + z3) * 8192;
    let tmp1 = (z2 - z3) * 8192;
    const tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    tmp0 = co[i0 + 56] * q[56 + c];
    tmp1 = co[i0 + 40] * q[40 + c];
    tmp2 = co[i0 + 24] * q[24 + c];
    tmp3 = co[i0 + 8] * q[8 + c];
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * F1175;
    tmp0 *= F0298;
    tmp1 *= F2053;
    tmp2 *= F3072;
    tmp3 *= F1501;
    z1 *= -F0899;
    z2 *= -F2562;
    z3 = z3 * -F1961 + z5;
    z4 = z4 * -F0390 + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    const D = 2048; // DESCALE by CONST_BITS - PASS1_BITS = 11
    ws[c] = fdiv(tmp10 + tmp3 + 1024, D);
    ws[56 + c] = fdiv(tmp10 - tmp3 + 1024, D);
    ws[8 + c] = fdiv(tmp11 + tmp2 + 1024, D);
    ws[48 + c] = fdiv(tmp11 - tmp2 + 1024, D);
    ws[16 + c] = fdiv(tmp12 + tmp1 + 1024, D);
    ws[40 + c] = fdiv(tmp12 - tmp1 + 1024, D);
    ws[24 + c] = fdiv(tmp13 + tmp0 + 1024, D);
    ws[32 + c] = fdiv(tmp13 - tmp0 + 1024, D);
  }
  const D2 = 262144, H2 = 131072; // DESCALE by CONST_BITS + PASS1_BITS + 3 = 18
  for (let r = 0; r < 8; r++) {
    const w = r * 8;
    const oo = o + r * stride;
    if (ws[w + 1] === 0 && ws[w + 2] === 0 && ws[w + 3] === 0 && ws[w + 4] === 0 && ws[w + 5] === 0 && ws[w + 6] === 0 && ws[w + 7] === 0) {
      const v = rangeLimit(fdiv(ws[w] + 16, 32));
      for (let k = 0; k < 8; k++) out[oo + k] = v;
      continue;
    }
    let z2 = ws[w + 2], z3 = ws[w + 6];
    let z1 = (z2 + z3) * F0541;
    let tmp2 = z1 - z3 * F1847;
    let tmp3 = z1 + z2 * F0765;
    let tmp0 = (ws[w] + ws[w + 4]) * 8192;
    let tmp1 = (ws[w] - ws[w + 4]) * 8192;
    const tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    tmp0 = ws[w + 7];
    tmp1 = ws[w + 5];
    tmp2 = ws[w + 3];
    tmp3 = ws[w + 1];
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * F1175;
    tmp0 *= F0298;
    tmp1 *= F2053;
    tmp2 *= F3072;
    tmp3 *= F1501;
    z1 *= -F0899;
    z2 *= -F2562;
    z3 = z3 * -F1961 + z5;
    z4 = z4 * -F0390 + z5;
    tmp0 += z1 + z3;
    tmp1 += z2 + z4;
    tmp2 += z2 + z3;
    tmp3 += z1 + z4;
    out[oo] = rangeLimit(fdiv(tmp10 + tmp3 + H2, D2));
    out[oo + 7] = rangeLimit(fdiv(tmp10 - tmp3 + H2, D2));
    out[oo + 1] = rangeLimit(fdiv(tmp11 + tmp2 + H2, D2));
    out[oo + 6] = rangeLimit(fdiv(tmp11 - tmp2 + H2, D2));
    out[oo + 2] = rangeLimit(fdiv(tmp12 + tmp1 + H2, D2));
    out[oo + 5] = rangeLimit(fdiv(tmp12 - tmp1 + H2, D2));
    out[oo + 3] = rangeLimit(fdiv(tmp13 + tmp0 + H2, D2));
    out[oo + 4] = rangeLimit(fdiv(tmp13 - tmp0 + H2, D2));
  }
}

// libjpeg's YCbCr -> RGB tables (jdcolor.c, 16-bit fixed point).
let ycc: { crR: Int32Array; cbB: Int32Array; crG: Int32Array; cbG: Int32Array } | null = null;
export function yccTables(): NonNullable<typeof ycc> {
  if (ycc) return ycc;
  const FIX = (x: number): number => Math.floor(x * 65536 + 0.5);
  const crR = new Int32Array(256), cbB = new Int32Array(256), crG = new Int32Array(256), cbG = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    const x = i - 128;
    crR[i] = (FIX(1.402) * x + 32768) >> 16;
    cbB[i] = (FIX(1.772) * x + 32768) >> 16;
    crG[i] = -FIX(0.71414) * x;
    cbG[i] = -FIX(0.34414) * x + 32768;
  }
  return (ycc = { crR, cbB, crG, cbG });
}

/**
 * libjpeg-turbo's upsampling of one component plane (pw x ph samples) by integer factors
 * (hf, vf): "fancy" triangular filters for 2x1, 1x2 and 2x2, replication otherwise.
 */
export function upsampleLibjpeg(plane: Uint8Array, pw: number, ph: number, hf: number, vf: number): Uint8Array {
  if (hf === 1 && vf === 1) return plane;
  const ow = pw * hf, oh = ph * vf;
  const out = new Uint8Array(ow * oh);
  if (hf === 2 && vf === 1 && pw > 2) {
    for (let y = 0; y < ph; y++) {
      const r = y * pw, o = y * ow;
      let inv = plane[r];
      out[o] = inv;
      out[o + 1] = (inv * 3 + plane[r + 1] + 2) >> 2;
      for (let x = 1; x < pw - 1; x++) {
        inv = plane[r + x] * 3;
        out[o + 2 * x] = (inv + plane[r + x - 1] + 1) >> 2;
        out[o + 2 * x + 1] = (inv + plane[r + x + 1] + 2) >> 2;
      }
      inv = plane[r + pw - 1];
      out[o + 2 * pw - 2] = (inv * 3 + plane[r + pw - 2] + 1) >> 2;
      out[o + 2 * pw - 1] = inv;
    }
    return out;
  }
  if (hf === 1 && vf === 2) {
    for (let y = 0; y < ph; y++)
      for (let v = 0; v < 2; v++) {
        const other = v === 0 ? Math.max(y - 1, 0) : Math.min(y + 1, ph - 1);
        const bias = v === 0 ? 1 : 2;
        const o = (2 * y + v) * ow;
        for (let x = 0; x < pw; x++) out[o + x] = (plane[y * pw + x] * 3 + plane[other * pw + x] + bias) >> 2;
      }
    return out;
  }
  if (hf === 2 && vf === 2 && pw > 2) {
    for (let y = 0; y < ph; y++)
      for (let v = 0; v < 2; v++) {
        const r0 = y * pw, r1 = (v === 0 ? Math.max(y - 1, 0) : Math.min(y + 1, ph - 1)) * pw;
        const o = (2 * y + v) * ow;
        let cur = plane[r0] * 3 + plane[r1];
        let next = plane[r0 + 1] * 3 + plane[r1 + 1];
        out[o] = (cur * 4 + 8) >> 4;
        out[o + 1] = (cur * 3 + next + 7) >> 4;
        let last = cur;
        cur = next;
        for (let x = 1; x < pw - 1; x++) {
          next = plane[r0 + x + 1] * 3 + plane[r1 + x + 1];
          out[o + 2 * x] = (cur * 3 + last + 8) >> 4;
          out[o + 2 * x + 1] = (cur * 3 + next + 7) >> 4;
          last = cur;
          cur = next;
        }
        out[o + 2 * pw - 2] = (cur * 3 + last + 8) >> 4;
        out[o + 2 * pw - 1] = (cur * 4 + 7) >> 4;
      }
    return out;
  }
  for (let y = 0; y < oh; y++) {
    const r = Math.floor(y / vf) * pw;
    for (let x = 0; x < ow; x++) out[y * ow + x] = plane[r + Math.floor(x / hf)];
  }
  return out;
}
