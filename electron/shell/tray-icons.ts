import { crc32, deflateSync } from 'node:zlib';
import type { TrayState } from './tray-status.js';

/**
 * The app's icons, drawn in code so they need no image files at run time and
 * stay sharp at every size: a coloured disc with a white sign for each tray
 * state (a tick, an exclamation mark, a padlock), so the state reads without
 * colour too, and the app icon (a profile on a rounded square).
 */

type Rgb = readonly [number, number, number];

/** Coverage of a shape at a point in unit coordinates (0..1 across the icon). */
type Shape = (x: number, y: number) => boolean;

const white: Rgb = [255, 255, 255];

export const trayStateColours: Record<TrayState, Rgb> = {
  fine: [46, 125, 50],
  attention: [230, 81, 0],
  'keychain-locked': [198, 40, 40],
};

const appIconColour: Rgb = [15, 118, 110];

/** Tray icons are 16 px on macOS and Windows; Linux panels draw them at 22 to 24 px. */
export function trayIconSize(platform: NodeJS.Platform): number {
  return platform === 'linux' ? 24 : 16;
}

/** A PNG of the tray icon for a state, `size` pixels square. */
export function trayIconPng(state: TrayState, size: number): Buffer {
  const disc = circle(0.5, 0.5, 0.47);
  const sign = traySigns[state];
  const pixels = render(size, (x, y) => {
    if (!disc(x, y)) return null;
    return sign(x, y) ? white : trayStateColours[state];
  });

  return encodePng(size, size, pixels);
}

/** A PNG of the app icon, `size` pixels square. */
export function appIconPng(size: number): Buffer {
  const background = roundedSquare(0.06, 0.94, 0.18);
  const head = circle(0.5, 0.36, 0.13);
  const body = circle(0.5, 0.86, 0.3);
  const shoulders = (x: number, y: number) => y <= 0.78 && body(x, y);
  const pixels = render(size, (x, y) => {
    if (!background(x, y)) return null;
    return head(x, y) || shoulders(x, y) ? white : appIconColour;
  });

  return encodePng(size, size, pixels);
}

const traySigns: Record<TrayState, Shape> = {
  fine: (x, y) =>
    segment(0.28, 0.52, 0.44, 0.68, 0.07)(x, y) ||
    segment(0.44, 0.68, 0.73, 0.34, 0.07)(x, y),
  attention: (x, y) =>
    segment(0.5, 0.24, 0.5, 0.56, 0.075)(x, y) || circle(0.5, 0.74, 0.075)(x, y),
  'keychain-locked': (x, y) => {
    const body = x >= 0.3 && x <= 0.7 && y >= 0.46 && y <= 0.76;
    const distance = Math.hypot(x - 0.5, y - 0.46);
    const shackle = y <= 0.46 && distance <= 0.17 && distance >= 0.1;
    return body || shackle;
  },
};

function circle(cx: number, cy: number, r: number): Shape {
  return (x, y) => Math.hypot(x - cx, y - cy) <= r;
}

/** A thick line from (x1, y1) to (x2, y2) with round ends. */
function segment(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  halfWidth: number,
): Shape {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const lengthSquared = dx * dx + dy * dy;

  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / lengthSquared));
    return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= halfWidth;
  };
}

function roundedSquare(from: number, to: number, radius: number): Shape {
  return (x, y) => {
    const nearestX = Math.max(from + radius, Math.min(to - radius, x));
    const nearestY = Math.max(from + radius, Math.min(to - radius, y));
    return Math.hypot(x - nearestX, y - nearestY) <= radius;
  };
}

/** Samples per pixel along each axis: 16 samples smooth the edges. */
const samples = 4;

/**
 * RGBA pixels, row by row. Each pixel averages a grid of samples of `paint`,
 * which gives a colour or null (transparent) for a point.
 */
function render(size: number, paint: (x: number, y: number) => Rgb | null): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      const pixel = samplePixel(size, row, column, paint);
      pixels.set(pixel, (row * size + column) * 4);
    }
  }

  return pixels;
}

function samplePixel(
  size: number,
  row: number,
  column: number,
  paint: (x: number, y: number) => Rgb | null,
): number[] {
  const sum = [0, 0, 0];
  let covered = 0;
  for (let i = 0; i < samples; i += 1) {
    for (let j = 0; j < samples; j += 1) {
      const colour = paint(
        (column + (j + 0.5) / samples) / size,
        (row + (i + 0.5) / samples) / size,
      );
      if (colour === null) continue;
      covered += 1;
      colour.forEach((channel, index) => (sum[index] = (sum[index] ?? 0) + channel));
    }
  }
  if (covered === 0) return [0, 0, 0, 0];

  // Colour channels average the covered samples only (no dark fringe); alpha is coverage.
  const alpha = Math.round((covered / (samples * samples)) * 255);
  return [...sum.map((channel) => Math.round(channel / covered)), alpha];
}

/** Encodes RGBA pixels as a PNG: 8 bits per channel, no interlacing, no row filters. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rowBytes = width * 4;
  const rows = Buffer.alloc(height * (rowBytes + 1));
  for (let row = 0; row < height; row += 1) {
    rgba.copy(rows, row * (rowBytes + 1) + 1, row * rowBytes, (row + 1) * rowBytes);
  }

  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));

  return Buffer.concat([length, typeAndData, crc]);
}
