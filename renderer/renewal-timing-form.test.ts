import { describe, expect, it } from 'vitest';
import { defaultRefreshPolicy } from '../shared/token-types';
import { readRenewalTiming, renewalTimingTexts } from './renewal-timing-form';

describe('the renewal timing form', () => {
  it('shows the policy as a percentage, minutes and seconds, and reads it back', () => {
    const texts = renewalTimingTexts(defaultRefreshPolicy);

    expect(texts).toEqual({ percent: '75', leadMinutes: '5', minimumLeadSeconds: '60' });
    expect(readRenewalTiming(texts).policy).toEqual(defaultRefreshPolicy);
  });

  it('keeps a lead that is not whole minutes', () => {
    const texts = renewalTimingTexts({ ...defaultRefreshPolicy, leadSeconds: 90 });

    expect(texts.leadMinutes).toBe('1.5');
    expect(readRenewalTiming(texts).policy?.leadSeconds).toBe(90);
  });

  it('says what is wrong with each field, in words', () => {
    const read = readRenewalTiming({
      percent: '99',
      leadMinutes: '',
      minimumLeadSeconds: '12.5',
    });

    expect(read.problems).toEqual({
      percent: 'Give a share from 50 to 95 %.',
      leadMinutes: 'Give from 0.5 to 60 minutes.',
      minimumLeadSeconds: 'Give a whole number of seconds from 30 to 600.',
    });
  });

  it('refuses minutes before expiry that fall after the latest allowed moment', () => {
    const read = readRenewalTiming({
      percent: '75',
      leadMinutes: '1',
      minimumLeadSeconds: '90',
    });

    expect(read.policy).toBeNull();
    expect(read.problems?.leadMinutes).toBe(
      'That is later than the 90 s before expiry set below: give at least 1.5 minutes, or lower the seconds.',
    );
  });
});
