import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodeIdx } from '../../runtime/data/idx.js';

/** A fresh temporary folder, removed after the current test file's tests. */
export function temporaryFolder(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'eft-data-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The repository root (works from the sources and from the compiled tests). */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the tests');
    dir = parent;
  }
  return dir;
}

/** count images of height × width where pixel (n, y, x) = (n·7 + y·3 + x) mod 256, labels n mod classes. */
export function syntheticImages(count: number, height: number, width: number, classes: number) {
  const images = new Uint8Array(count * height * width);
  for (let n = 0; n < count; n++) for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) images[(n * height + y) * width + x] = (n * 7 + y * 3 + x) % 256;
  const labels = Uint8Array.from({ length: count }, (_, n) => n % classes);
  return { images, labels };
}

export function writeIdxPair(dir: string, prefix: 'train' | 't10k', count: number, gzip: boolean, size = 28, classes = 10): void {
  const { images, labels } = syntheticImages(count, size, size, classes);
  const suffix = gzip ? '.gz' : '';
  const pack = (bytes: Uint8Array) => (gzip ? gzipSync(bytes) : bytes);
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte${suffix}`), pack(encodeIdx([count, size, size], images)));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte${suffix}`), pack(encodeIdx([count], labels)));
}

export function writePng(file: string, width: number, height: number, rgba: (x: number, y: number) => [number, number, number, number]): void {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(rgba(x, y), (y * width + x) * 4);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, PNG.sync.write(png));
}

export function writeJpeg(file: string, width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): void {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...rgb(x, y), 255], (y * width + x) * 4);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, jpeg.encode({ data, width, height }, 95).data);
}
