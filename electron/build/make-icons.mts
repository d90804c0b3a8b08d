// Writes the app icon electron-builder packs (electron/build/icons/icon.png,
// 512 px, from which it derives every platform's sizes). The tray icons are
// drawn at run time from the same code. Run: `npx tsx electron/build/make-icons.mts`.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appIconPng } from '../shell/tray-icons.js';

const iconPath = join(import.meta.dirname, 'icons', 'icon.png');

await writeFile(iconPath, appIconPng(512));
console.log(`wrote ${iconPath}`);
