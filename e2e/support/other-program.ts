import { spawnSync } from 'node:child_process';

/**
 * Rewrites the whole profiles file from a separate process, the way pydoover
 * and the Doover CLI do (truncate and write, no lock, no temporary file).
 */
export function rewriteAsAnotherProgram(path: string, text: string): void {
  const script =
    "require('node:fs').writeFileSync(process.argv[1], require('node:fs').readFileSync(0))";
  const result = spawnSync(process.execPath, ['-e', script, path], { input: text });
  if (result.status !== 0) {
    throw new Error(`the other program failed: ${result.stderr.toString()}`);
  }
}

/** An unsigned JWT carrying only an expiry, as Doover's tools read one (no verification). */
export function tokenExpiringAt(seconds: number): string {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');

  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ exp: seconds, sub: 'ops' })}.c2lnbmF0dXJl`;
}
