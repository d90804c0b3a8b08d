import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Electronegativity's checks over the main-process code, called through its
 * library API (its command line does not start with the installed commander).
 * Every finding must be explained below; an explanation whose finding is gone
 * must be removed, so the list stays true.
 */

const repoRoot = resolve(import.meta.dirname, '../..');
const electronDir = join(repoRoot, 'electron');
const require = createRequire(import.meta.url);

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  manualReview: boolean;
}

interface ScanResult {
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Finding[];
}

type RunElectronegativity = (options: Record<string, unknown>) => Promise<ScanResult>;

const runElectronegativity =
  require('@doyensec/electronegativity/dist/runner.js') as RunElectronegativity;

const electronVersion = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  }
).devDependencies.electron;

/** Findings that were reviewed, by check and file, with the reason they are safe. */
const explained: { check: string; file: string; why: string }[] = [
  {
    check: 'CONTEXT_ISOLATION_JS_CHECK',
    file: 'shell/main-window.ts',
    why:
      'The options come from mainWindowOptions() in window-options.ts, which the scanner ' +
      'does not follow; window-options.test.ts asserts contextIsolation: true.',
  },
  {
    check: 'SANDBOX_JS_CHECK',
    file: 'shell/main-window.ts',
    why:
      'As above: window-options.test.ts asserts sandbox: true, and app.enableSandbox() ' +
      '(security-guards.ts) sandboxes every renderer regardless.',
  },
  {
    check: 'AUXCLICK_JS_CHECK',
    file: 'shell/main-window.ts',
    why:
      'A middle click on a link asks for a new window, which the app-wide ' +
      'setWindowOpenHandler in security-guards.ts always denies.',
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'shell/security-guards.ts',
    why:
      'shell.openExternal runs only after isSafeExternalUrl accepts the URL (https, or ' +
      'http to this machine), as external-links.test.ts checks.',
  },
  {
    check: 'CSP_GLOBAL_CHECK',
    file: 'shell/security-guards.ts',
    why:
      'A request for manual review of the CSP header it found. The policy starts from ' +
      "default-src 'none' with no unsafe sources; window-options.test.ts holds it there.",
  },
];

async function scan(input: string): Promise<ScanResult> {
  return runElectronegativity({
    input,
    isRelative: true,
    electronVersionOverride: electronVersion,
    // This check downloads Electron's release list, which these machines cannot reach.
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    customScan: [],
    parserPlugins: [],
  });
}

const isTestFile = (file: string) => /\.test\.ts$/.test(file);

describe('Electronegativity over electron/', () => {
  it('leaves no finding unexplained and no explanation without its finding', async () => {
    const result = await scan(electronDir);
    // Test files are never packaged (app-asar.test.ts checks that).
    const findings = result.issues.filter((issue) => !isTestFile(issue.file));
    const key = (check: string, file: string) => `${check} in ${file}`;
    const found = new Set(findings.map((issue) => key(issue.id, issue.file)));
    const allowed = new Set(explained.map(({ check, file }) => key(check, file)));

    console.log(
      findings
        .map((issue) => `${key(issue.id, issue.file)}:${issue.location.line} (explained)`)
        .join('\n'),
    );
    expect(result.errors.filter((error) => !error.tolerable)).toEqual([]);
    expect([...found].filter((finding) => !allowed.has(finding))).toEqual([]);
    expect([...allowed].filter((explanation) => !found.has(explanation))).toEqual([]);
  }, 120_000);

  it('does find the misconfigurations it is trusted to find', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'electronegativity-'));
    try {
      await writeFile(
        join(dir, 'unsafe-window.ts'),
        [
          "import { BrowserWindow, shell } from 'electron';",
          'export function open(url: string) {',
          '  void shell.openExternal(url);',
          '  return new BrowserWindow({ webPreferences: { contextIsolation: false,',
          '    sandbox: false, webSecurity: false, allowRunningInsecureContent: true } });',
          '}',
        ].join('\n'),
      );
      const ids = new Set((await scan(dir)).issues.map((issue) => issue.id));

      for (const id of [
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'INSECURE_CONTENT_JS_CHECK',
        'OPEN_EXTERNAL_JS_CHECK',
        // Found in electron/ only when missing: no navigation guard, no permission handler.
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      ]) {
        expect(ids, id).toContain(id);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The main-process sources that ship: everything under electron/ but tests and build scripts. */
function shippedSources(): { file: string; text: string }[] {
  const files = readdirSync(electronDir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !isTestFile(file) && !file.startsWith('build/'),
  );
  return files.map((file) => ({
    file,
    text: readFileSync(join(electronDir, file), 'utf8'),
  }));
}

/**
 * What Electronegativity does not flag on its own (it reports nodeIntegration
 * only together with remote content), checked in the sources directly.
 */
const forbiddenSettings = [
  /nodeIntegration(?:InWorker|InSubFrames)?\s*:\s*true/,
  /contextIsolation\s*:\s*false/,
  /sandbox\s*:\s*false/,
  /webSecurity\s*:\s*false/,
  /allowRunningInsecureContent\s*:\s*true/,
  /experimentalFeatures\s*:\s*true/,
  /enableBlinkFeatures/,
  /webviewTag\s*:\s*true/,
];

describe('the main-process sources', () => {
  const sources = shippedSources();

  it('never loosen a web preference', () => {
    const loosened = sources.flatMap(({ file, text }) =>
      forbiddenSettings
        .filter((setting) => setting.test(text))
        .map((setting) => `${file}: ${setting}`),
    );

    expect(sources.length).toBeGreaterThan(10);
    expect(loosened).toEqual([]);
  });

  it('open windows only with the shared secure options', () => {
    const windowFiles = sources.filter(({ text }) => /new BrowserWindow\(/.test(text));

    expect(windowFiles.map(({ file }) => file)).toEqual([
      join('shell', 'main-window.ts'),
    ]);
    expect(windowFiles[0]?.text).toMatch(/new BrowserWindow\(mainWindowOptions\(/);
  });

  it('hand links to the default browser only behind the allow-list', () => {
    const callers = sources.filter(({ text }) => /openExternal\(/.test(text));

    expect(callers.map(({ file }) => file)).toEqual([
      join('shell', 'security-guards.ts'),
    ]);
    const guarded =
      /if \(!isSafeExternalUrl\(url\)\) \{[^}]*return;\s*\}\s*shell\.openExternal\(url\)/;
    expect(callers[0]?.text).toMatch(guarded);
  });

  it('keep the app-wide guards: sandbox, navigation, new windows, permissions', () => {
    const guards =
      sources.find(({ file }) => file === join('shell', 'security-guards.ts'))?.text ??
      '';

    expect(guards).toContain('app.enableSandbox()');
    expect(guards).toMatch(
      /'will-navigate', \(event[^)]*\) => \{\s*event\.preventDefault\(\)/,
    );
    expect(guards).toMatch(/setWindowOpenHandler\([\s\S]*?return \{ action: 'deny' \}/);
    expect(guards).toContain('setPermissionRequestHandler');
  });
});
