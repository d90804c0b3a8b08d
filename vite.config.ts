import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

const root = import.meta.dirname;

/**
 * Timing-sensitive tests at full size; they run on their own after the rest
 * (`vitest run --mode scale --project main`), not competing for the cores.
 */
const scaleTests = 'electron/**/*.scale.test.ts';

/**
 * One configuration, three jobs: the renderer bundle (default), the sandboxed
 * preload script (`--mode preload`, a single CommonJS file because a sandboxed
 * preload cannot load other modules), and the unit tests.
 */
export default defineConfig(({ mode }) => {
  if (mode === 'preload') {
    return {
      build: {
        outDir: resolve(root, 'dist/electron'),
        emptyOutDir: false,
        minify: false,
        sourcemap: true,
        lib: {
          entry: resolve(root, 'electron/preload.ts'),
          formats: ['cjs'],
          fileName: () => 'preload.cjs',
        },
        rollupOptions: { external: ['electron'] },
      },
    };
  }

  return {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'dist/renderer'),
      emptyOutDir: true,
      sourcemap: true,
    },
    test: {
      root,
      // Property and integration tests are CPU-bound; on a busy two-core machine
      // the 5 s default fails them for being slow, not wrong.
      testTimeout: 30_000,
      projects: [
        {
          extends: true,
          test: {
            name: 'main',
            root,
            environment: 'node',
            include:
              mode === 'scale'
                ? [scaleTests]
                : [
                    'electron/**/*.test.ts',
                    'shared/**/*.test.ts',
                    'e2e/auth-server/**/*.test.ts',
                    'e2e/packaging/**/*.test.ts',
                  ],
            exclude:
              mode === 'scale'
                ? configDefaults.exclude
                : [...configDefaults.exclude, scaleTests],
          },
        },
        {
          extends: true,
          test: {
            name: 'renderer',
            root,
            environment: 'jsdom',
            include: ['renderer/**/*.test.{ts,tsx}'],
          },
        },
      ],
    },
  };
});
