import { formatDuration } from '../shared/expiry-status';

/** The parts of the clipboard and the timers a copy needs; the page's own by default. */
export interface ClipboardAccess {
  writeText: (text: string) => Promise<void>;
  readText: () => Promise<string>;
  setTimeout: (run: () => void, ms: number) => unknown;
}

const pageClipboard: ClipboardAccess = {
  writeText: (text) => navigator.clipboard.writeText(text),
  readText: () => navigator.clipboard.readText(),
  setTimeout: (run, ms) => window.setTimeout(run, ms),
};

/** How a copied secret left the clipboard, in words. */
export type ClearOutcome = 'cleared' | 'replaced' | 'not-allowed';

export const clearOutcomeWords: Record<ClearOutcome, string> = {
  cleared: 'Cleared the copied token from the clipboard.',
  replaced: 'The clipboard holds something else now, so it was left as it is.',
  'not-allowed':
    'The copied token could not be cleared: the app may not read the clipboard. Copy something else over it.',
};

/** "Copied, clears in 30 s", or that it stays when clearing is off. */
export function copiedWords(clearSeconds: number | 'never'): string {
  return clearSeconds === 'never'
    ? 'Copied. It stays on the clipboard until you copy something else.'
    : `Copied, clears in ${formatDuration(clearSeconds)}`;
}

/**
 * Puts a secret on the clipboard and, after `clearSeconds`, clears the
 * clipboard only if it still holds that secret, so something the user copied
 * since is never lost. The secret lives only in this closure until then.
 * Rejects when writing is refused; `onCleared` hears how it ended.
 */
export async function copySecret(
  secret: string,
  clearSeconds: number | 'never',
  onCleared: (outcome: ClearOutcome) => void,
  clipboard: ClipboardAccess = pageClipboard,
): Promise<void> {
  await clipboard.writeText(secret);
  if (clearSeconds === 'never') {
    return;
  }
  clipboard.setTimeout(() => {
    void clearIfUnchanged(secret, clipboard).then(onCleared);
  }, clearSeconds * 1000);
}

async function clearIfUnchanged(
  secret: string,
  clipboard: ClipboardAccess,
): Promise<ClearOutcome> {
  try {
    if ((await clipboard.readText()) !== secret) {
      return 'replaced';
    }
    await clipboard.writeText('');

    return 'cleared';
  } catch {
    return 'not-allowed';
  }
}
