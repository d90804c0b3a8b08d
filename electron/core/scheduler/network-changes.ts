import type { NetworkInterfaceInfo } from 'node:os';
import type { Timers } from './deadline-queue.js';

/** The computer's network interfaces, as `os.networkInterfaces()` gives them. */
export type NetworkInterfaces = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface NetworkChangeOptions {
  interfaces: NetworkInterfaces;
  timers: Timers;
  /** Called once for each change of the computer's own addresses. */
  onChange: () => void;
  /** How often the addresses are looked at. */
  intervalMs?: number;
}

/**
 * The addresses this computer can be reached at, in a stable order. Joining
 * another Wi-Fi, plugging in a cable or starting a VPN changes them; the
 * loopback interface never does, so it is left out.
 */
export function networkSignature(interfaces: NetworkInterfaces): string {
  const addresses: string[] = [];
  for (const [name, entries] of Object.entries(interfaces())) {
    for (const entry of entries ?? []) {
      if (!entry.internal) addresses.push(`${name} ${entry.address}`);
    }
  }

  return addresses.sort().join('\n');
}

/**
 * Tells when the computer's network changed, so renewals that failed while it
 * was away are tried again at once instead of after their backoff. Neither
 * Electron nor Node announces such a change, so the addresses are compared
 * every few seconds (a cheap call that reads no file and sends nothing).
 * Returns a function that stops watching.
 */
export function watchNetworkChanges(options: NetworkChangeOptions): () => void {
  const intervalMs = options.intervalMs ?? 5_000;
  let last = networkSignature(options.interfaces);
  let handle: unknown;
  let stopped = false;

  const check = () => {
    const now = networkSignature(options.interfaces);
    if (now !== last) {
      last = now;
      options.onChange();
    }
    if (!stopped) handle = options.timers.setTimeout(check, intervalMs);
  };
  handle = options.timers.setTimeout(check, intervalMs);

  return () => {
    stopped = true;
    options.timers.clearTimeout(handle);
  };
}
