import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { appIconPng, trayIconPng, trayIconSize, trayStateColours } from './tray-icons.js';
import { trayStates } from './tray-status.js';

interface DecodedPng {
  width: number;
  height: number;
  /** The filter byte and RGBA pixels of each row. */
  rows: Buffer;
  pixel(x: number, y: number): number[];
}

/** Reads back what encodePng writes: one IHDR, IDAT data, unfiltered RGBA rows. */
function decodePng(png: Buffer): DecodedPng {
  expect(png.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  const chunks = new Map<string, Buffer[]>();
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    chunks.set(type, [
      ...(chunks.get(type) ?? []),
      png.subarray(offset + 8, offset + 8 + length),
    ]);
    offset += 12 + length;
  }
  const header = chunks.get('IHDR')?.[0] ?? Buffer.alloc(13);
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  expect([...header.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
  const rows = inflateSync(Buffer.concat(chunks.get('IDAT') ?? []));
  expect(rows.length).toBe(height * (width * 4 + 1));

  return {
    width,
    height,
    rows,
    pixel(x, y) {
      const rowStart = y * (width * 4 + 1);
      expect(rows[rowStart], 'row filter').toBe(0);
      const start = rowStart + 1 + x * 4;
      return [...rows.subarray(start, start + 4)];
    },
  };
}

describe('tray icons', () => {
  it.each(trayStates)('draws %s as a disc of its colour with a white sign', (state) => {
    const icon = decodePng(trayIconPng(state, 32));

    expect([icon.width, icon.height]).toEqual([32, 32]);
    expect(icon.pixel(0, 0)).toEqual([0, 0, 0, 0]);
    expect(icon.pixel(16, 3)).toEqual([...trayStateColours[state], 255]);
    const opaque = [];
    for (let y = 0; y < 32; y += 1) {
      for (let x = 0; x < 32; x += 1) opaque.push(icon.pixel(x, y).join());
    }
    expect(opaque).toContain('255,255,255,255');
  });

  it('gives each state its own sign, so the state reads without colour', () => {
    const whiteMasks = trayStates.map((state) => {
      const icon = decodePng(trayIconPng(state, 24));
      let mask = '';
      for (let y = 0; y < 24; y += 1) {
        for (let x = 0; x < 24; x += 1)
          mask += icon.pixel(x, y).slice(0, 3).join() === '255,255,255' ? '1' : '0';
      }
      return mask;
    });

    expect(new Set(whiteMasks).size).toBe(trayStates.length);
  });

  it('uses the tray sizes of each platform', () => {
    expect(trayIconSize('linux')).toBe(24);
    expect(trayIconSize('darwin')).toBe(16);
    expect(trayIconSize('win32')).toBe(16);
  });
});

describe('the app icon', () => {
  it('is committed as electron-builder needs it: the 512 px drawing', () => {
    const committed = readFileSync(
      join(import.meta.dirname, '..', 'build', 'icons', 'icon.png'),
    );

    const icon = decodePng(committed);

    // If this fails after changing the drawing: npx tsx electron/build/make-icons.mts
    expect(icon.rows.equals(decodePng(appIconPng(512)).rows)).toBe(true);
    expect([icon.width, icon.height]).toEqual([512, 512]);
    expect(icon.pixel(0, 0)[3]).toBe(0);
    expect(icon.pixel(256, 60)).toEqual([15, 118, 110, 255]);
  });
});
