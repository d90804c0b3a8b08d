import type { AppPreferences } from '../shared/token-types';

type RefreshPolicy = AppPreferences['refresh'];

/** The renewal timing as the user types it: a percentage, minutes and seconds. */
export interface RenewalTimingTexts {
  percent: string;
  leadMinutes: string;
  minimumLeadSeconds: string;
}

export type RenewalTimingProblems = Partial<Record<keyof RenewalTimingTexts, string>>;

/** The numbers of a policy in the units the form shows. */
export function renewalTimingTexts(policy: RefreshPolicy): RenewalTimingTexts {
  return {
    percent: String(Math.round(policy.lifetimeFraction * 100)),
    leadMinutes: String(Math.round((policy.leadSeconds / 60) * 100) / 100),
    minimumLeadSeconds: String(policy.minimumLeadSeconds),
  };
}

function numberIn(text: string, low: number, high: number): number | null {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) && value >= low && value <= high
    ? value
    : null;
}

/**
 * Reads the form into a policy, or says in words what is wrong with each
 * field. The ranges are those the settings file accepts.
 */
export function readRenewalTiming(
  texts: RenewalTimingTexts,
):
  | { policy: RefreshPolicy; problems: null }
  | { policy: null; problems: RenewalTimingProblems } {
  const percent = numberIn(texts.percent, 50, 95);
  const minutes = numberIn(texts.leadMinutes, 0.5, 60);
  const seconds = numberIn(texts.minimumLeadSeconds, 30, 600);
  const floor = seconds !== null && Number.isInteger(seconds) ? seconds : null;
  if (percent === null || minutes === null || floor === null) {
    const problems: RenewalTimingProblems = {};
    if (percent === null) problems.percent = 'Give a share from 50 to 95 %.';
    if (minutes === null) problems.leadMinutes = 'Give from 0.5 to 60 minutes.';
    if (floor === null) {
      problems.minimumLeadSeconds = 'Give a whole number of seconds from 30 to 600.';
    }
    return { policy: null, problems };
  }

  const leadSeconds = Math.round(minutes * 60);
  if (leadSeconds < floor) {
    const least = Math.ceil((floor / 60) * 100) / 100;
    return {
      policy: null,
      problems: {
        leadMinutes: `That is later than the ${floor} s before expiry set below: give at least ${least} ${least === 1 ? 'minute' : 'minutes'}, or lower the seconds.`,
      },
    };
  }

  return {
    policy: { lifetimeFraction: percent / 100, leadSeconds, minimumLeadSeconds: floor },
    problems: null,
  };
}

/** Whether two policies plan the same renewals. */
export function samePolicy(a: RefreshPolicy, b: RefreshPolicy): boolean {
  return (
    a.lifetimeFraction === b.lifetimeFraction &&
    a.leadSeconds === b.leadSeconds &&
    a.minimumLeadSeconds === b.minimumLeadSeconds
  );
}
