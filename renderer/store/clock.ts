import type { AppStore } from './app-store';

/** The timer functions the clock needs; the defaults are the page's own. */
export interface ClockTimers {
  now: () => number;
  setInterval: (tick: () => void, ms: number) => number;
  clearInterval: (id: number) => void;
}

const pageTimers: ClockTimers = {
  // Looked up at each call, so fake timers installed later are honoured.
  now: () => Date.now(),
  setInterval: (tick, ms) => window.setInterval(tick, ms),
  clearInterval: (id) => window.clearInterval(id),
};

export const CLOCK_TICK_MS = 1000;

/**
 * Starts the one interval that moves the store's `now` every second, for the
 * whole app; rows derive their countdowns from it. Returns a stop function.
 */
export function startClock(
  store: AppStore,
  timers: ClockTimers = pageTimers,
): () => void {
  const tick = () => store.getState().setNow(timers.now());
  tick();
  const id = timers.setInterval(tick, CLOCK_TICK_MS);

  return () => timers.clearInterval(id);
}
