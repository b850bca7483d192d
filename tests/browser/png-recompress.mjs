// Shrinks Chromium's screenshots for the README without new dependencies: decodes the PNG
// (8-bit RGB or RGBA, not interlaced, as Chromium writes it), drops any alpha channel (screenshots
// are opaque), optionally rounds each channel to a multiple of `step` (invisible at 4, fewer distinct
// bytes to compress), and re-encodes with the best PNG filter per row and zlib's best compression.
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunks(png) {
  const out = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The byte predicted for position i by filter type, from the current row and the one above. */
function predict(type, row, prev, i, bpp) {
  const a = i >= bpp ? row[i - bpp] : 0;
  const b = prev[i];
  const c = i >= bpp ? prev[i - bpp] : 0;
  return [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
}

function decode(png) {
  const all = chunks(png);
  const ihdr = all.find((c) => c.type === 'IHDR').data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const channels = { 2: 3, 6: 4 }[ihdr[9]];
  if (ihdr[8] !== 8 || !channels || ihdr[12] !== 0) {
    throw new Error('expected an 8-bit RGB or RGBA, non-interlaced PNG');
  }
  const raw = inflateSync(Buffer.concat(all.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    for (let i = 0; i < stride; i++) {
      row[i] = (src[i] + predict(type, row, prev, i, channels)) & 0xff;
    }
    prev = row;
  }
  return { width, height, channels, pixels };
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) {
    c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function encodeRGB({ width, height, channels, pixels }, step) {
  const stride = width * 3;
  const out = Buffer.alloc((stride + 1) * height);
  let prev = Buffer.alloc(stride);
  const row = Buffer.alloc(stride);
  const candidate = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < 3; ch++) {
        const v = pixels[(y * width + x) * channels + ch];
        row[x * 3 + ch] = Math.min(255, Math.round(v / step) * step);
      }
    }
    // the filter whose output has the smallest sum of absolute values (libpng's heuristic)
    let best = -1;
    let bestScore = Infinity;
    for (let type = 0; type < 5; type++) {
      let score = 0;
      for (let i = 0; i < stride; i++) {
        candidate[i] = (row[i] - predict(type, row, prev, i, 3)) & 0xff;
        score += candidate[i] < 128 ? candidate[i] : 256 - candidate[i];
      }
      if (score < bestScore) {
        bestScore = score;
        best = type;
        out[y * (stride + 1)] = type;
        candidate.copy(out, y * (stride + 1) + 1);
      }
    }
    prev = Buffer.from(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(out, { level: 9, memLevel: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Rewrites the PNG at path smaller; returns its new size in bytes. */
export function recompressPng(path, step = 4) {
  const png = encodeRGB(decode(readFileSync(path)), step);
  writeFileSync(path, png);
  return png.length;
}
