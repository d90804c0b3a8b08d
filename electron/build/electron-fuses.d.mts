import type { FuseV1Options } from '@electron/fuses';

/** The parts of electron-builder's afterPack context the fuses hook reads. */
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  /** electron-builder's Arch: 3 is arm64, 4 universal. */
  arch: number;
  packager: {
    appInfo: { productFilename: string };
    /** Set on Linux: the executable's file name. */
    executableName?: string;
  };
}

export type FuseSettings = Partial<Record<FuseV1Options, boolean>>;

export function fuseSettings(electronPlatformName: string): FuseSettings;
export function fuseSettingsByName(settings: FuseSettings): Record<string, boolean>;
export function electronExecutablePath(context: PackContext): string;
export function isStandInScript(path: string): Promise<boolean>;
export function afterPack(context: PackContext): Promise<'flipped' | 'stand-in'>;
export default afterPack;
