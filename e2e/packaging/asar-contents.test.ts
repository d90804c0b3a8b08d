import { describe, expect, it } from 'vitest';
import { isShippableOwnFile, packageFolderOf } from './asar-contents.js';

describe('packageFolderOf', () => {
  it('names the package folder a file belongs to, nested and scoped ones too', () => {
    expect(packageFolderOf('node_modules/pino/lib/tools.js')).toBe('node_modules/pino');
    expect(packageFolderOf('node_modules/@pinojs/redact/index.js')).toBe(
      'node_modules/@pinojs/redact',
    );
    expect(packageFolderOf('node_modules/rc/node_modules/ini/ini.js')).toBe(
      'node_modules/rc/node_modules/ini',
    );
    expect(packageFolderOf('node_modules/pino/docs/api.md')).toBe('node_modules/pino');
  });

  it('gives nothing for the app’s own files', () => {
    expect(packageFolderOf('dist/electron/main.js')).toBeUndefined();
    expect(packageFolderOf('package.json')).toBeUndefined();
  });
});

describe('isShippableOwnFile', () => {
  it.each([
    'package.json',
    'dist/electron/main.js',
    'dist/electron/preload.cjs',
    'dist/electron/core/profiles/profiles-service.js',
    'dist/shared/contract.js',
    'dist/renderer/index.html',
    'dist/renderer/assets/index-D5GhXNWK.js',
    'dist/renderer/assets/index-DK5dM44a.css',
  ])('ships %s', (path) => {
    expect(isShippableOwnFile(path)).toBe(true);
  });

  it.each([
    'electron/main.ts',
    'dist/electron/main.js.map',
    'dist/electron/shell/tray.test.js',
    'dist/e2e/support/fixtures.js',
    'dist/bench/render-profiles.js',
    'e2e/specs/profiles-list.spec.ts',
    'renderer/index.html',
    'electron-builder.yml',
    'dist/renderer/assets/index.js.map',
    'README.md',
  ])('does not ship %s', (path) => {
    expect(isShippableOwnFile(path)).toBe(false);
  });
});
