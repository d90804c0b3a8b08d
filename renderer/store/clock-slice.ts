import type { AppSliceCreator } from './app-store';

/** The one shared "now" every countdown reads, in milliseconds since the epoch. */
export interface ClockSlice {
  now: number;
  setNow: (nowMs: number) => void;
}

export function createClockSlice(initialNow: number): AppSliceCreator<ClockSlice> {
  return (set) => ({
    now: initialNow,
    setNow: (nowMs) => set({ now: nowMs }),
  });
}
