import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Timers } from './deadline-queue.js';
import { watchNetworkChanges } from './network-changes.js';

/** Timers that fire only when the test says so. */
class StepTimers implements Timers {
  readonly pending = new Map<object, () => void>();

  setTimeout(callback: () => void): unknown {
    const handle = {};
    this.pending.set(handle, callback);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as object);
  }

  fire(): void {
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    callbacks.forEach((callback) => callback());
  }
}

function address(address: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    netmask: '255.255.255.0',
    family: 'IPv4',
    mac: '00:00:00:00:00:00',
    internal,
    cidr: null,
  };
}

describe('following network changes', () => {
  it('tells once when the computer’s addresses change, and not while they stay', () => {
    let interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = {
      lo: [address('127.0.0.1', true)],
      wlan0: [address('192.168.1.20')],
    };
    const timers = new StepTimers();
    let changes = 0;
    watchNetworkChanges({
      interfaces: () => interfaces,
      timers,
      onChange: () => changes++,
    });

    timers.fire();
    expect(changes).toBe(0);

    interfaces = { lo: [address('127.0.0.1', true)], wlan0: [address('10.0.0.7')] };
    timers.fire();
    timers.fire();
    expect(changes).toBe(1);

    interfaces = { ...interfaces, tun0: [address('10.8.0.2')] };
    timers.fire();
    expect(changes).toBe(2);
  });

  it('ignores the loopback interface and the order interfaces are listed in', () => {
    let interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = {
      eth0: [address('192.168.1.20')],
      wlan0: [address('192.168.1.21')],
    };
    const timers = new StepTimers();
    let changes = 0;
    watchNetworkChanges({
      interfaces: () => interfaces,
      timers,
      onChange: () => changes++,
    });

    interfaces = {
      wlan0: [address('192.168.1.21')],
      lo: [address('127.0.0.1', true)],
      eth0: [address('192.168.1.20')],
    };
    timers.fire();

    expect(changes).toBe(0);
  });

  it('leaves no timer behind once stopped', () => {
    const timers = new StepTimers();
    const stop = watchNetworkChanges({
      interfaces: () => ({}),
      timers,
      onChange: () => {},
    });
    expect(timers.pending.size).toBe(1);

    stop();

    expect(timers.pending.size).toBe(0);
  });
});
