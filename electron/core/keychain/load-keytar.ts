import { createRequire } from 'node:module';

/** The part of keytar the app uses. Anything with this shape can stand in for it. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export type KeytarLoadResult =
  | { ok: true; keytar: KeytarLike }
  | {
      ok: false;
      /** Plain words for the user: why the keychain cannot be used. */
      reason: string;
      /** The loader's own error message, for the log. */
      detail: string;
    };

export interface LoadKeytarOptions {
  /** The module to load; tests name a missing one. */
  moduleId?: string;
}

const requiredFunctions = [
  'getPassword',
  'setPassword',
  'deletePassword',
  'findCredentials',
] as const;

/**
 * Loads keytar, an optional native module. A missing or broken build (no
 * prebuilt binary, an ABI mismatch after an Electron upgrade) must not stop
 * the app from starting, so this never throws: it answers with a reason.
 */
export function loadKeytar(options: LoadKeytarOptions = {}): KeytarLoadResult {
  const moduleId = options.moduleId ?? 'keytar';
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(moduleId);
  } catch (error) {
    return loadFailure(error);
  }

  if (!isKeytarLike(loaded)) {
    return {
      ok: false,
      reason: 'the keychain module is incomplete',
      detail: `${moduleId} lacks one of ${requiredFunctions.join(', ')}`,
    };
  }

  return { ok: true, keytar: loaded };
}

let defaultLoad: KeytarLoadResult | undefined;

/** Loads keytar once per process; later calls answer from the first attempt. */
export function loadDefaultKeytar(): KeytarLoadResult {
  defaultLoad ??= loadKeytar();

  return defaultLoad;
}

function loadFailure(error: unknown): KeytarLoadResult {
  const detail = error instanceof Error ? error.message : String(error);
  const missing = (error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND';

  return {
    ok: false,
    reason: missing
      ? 'the keychain module is not installed'
      : 'the keychain module could not be loaded',
    detail,
  };
}

function isKeytarLike(value: unknown): value is KeytarLike {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return false;
  }
  const record = value as Record<string, unknown>;

  return requiredFunctions.every((name) => typeof record[name] === 'function');
}
