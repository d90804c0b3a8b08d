import { powerMonitor } from 'electron';
import type { AppServices } from '../core/app-services.js';

/** After sleep or a screen unlock, tokens that fell due meanwhile are renewed at once. */
export function setupPowerEvents(services: Pick<AppServices, 'wake'>): void {
  powerMonitor.on('resume', () => services.wake('the computer woke from sleep'));
  powerMonitor.on('unlock-screen', () => services.wake('the screen was unlocked'));
}
