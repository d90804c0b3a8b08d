import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  contentSecurityPolicyHeader,
} from './content-security-policy.js';
import { appFiles, mainWindowOptions } from './window-options.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const files = appFiles(join(repoRoot, 'dist', 'electron'));

describe('the window options the app uses', () => {
  const options = mainWindowOptions(files);
  const preferences = options.webPreferences ?? {};

  it('keeps the page sandboxed, isolated and without Node', () => {
    expect(preferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads the bundled CommonJS preload and the built page', () => {
    expect(preferences.preload).toBe(join(repoRoot, 'dist', 'electron', 'preload.cjs'));
    expect(files.indexHtmlPath).toBe(join(repoRoot, 'dist', 'renderer', 'index.html'));
    expect(files.appUrl).toMatch(/^file:\/\/\/.*\/dist\/renderer\/index\.html$/);
  });
});

describe('the content security policy', () => {
  const directives = contentSecurityPolicy.split('; ');

  it('starts from default-src none and allows nothing inline or evaluated', () => {
    expect(directives[0]).toBe("default-src 'none'");
    for (const loosening of [
      "'unsafe-inline'",
      "'unsafe-eval'",
      "'unsafe-hashes'",
      '*',
      'http:',
      'https:',
    ]) {
      expect(contentSecurityPolicy).not.toContain(loosening);
    }
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("base-uri 'none'");
    expect(directives).toContain("form-action 'none'");
  });

  it('lists each directive once and only adds framing rules to the header form', () => {
    const names = directives.map((directive) => directive.split(' ')[0]);

    expect(new Set(names).size).toBe(names.length);
    expect(contentSecurityPolicyHeader).toBe(
      `${contentSecurityPolicy}; frame-ancestors 'none'`,
    );
  });

  it('is exactly the policy in the meta tag of renderer/index.html', () => {
    const html = readFileSync(join(repoRoot, 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(
      html,
    );

    expect(meta?.[1]).toBe(contentSecurityPolicy);
  });
});
