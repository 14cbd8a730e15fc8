import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './poll-policy';

const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, pollIntervalSeconds: 2 };
const now = new Date('2026-11-24T10:00:00Z');
const secondsAfterNow = (date: Date) => (date.getTime() - now.getTime()) / 1000;

describe('decideRetry', () => {
  it('waits until the platform reset time plus the margin, whatever the failure count', () => {
    const retryAt = new Date('2026-11-24T10:07:30Z');
    for (const failures of [0, 5, 40]) {
      const decision = decideRetry({ kind: 'rate_limited', retryAt }, failures, now, policy, 0.99);
      expect(decision).toEqual({ state: 'rate_limited', nextPollAt: new Date('2026-11-24T10:07:31Z') });
    }
  });

  it('falls back to a fixed wait when a 429 gives no reset time, or one in the past', () => {
    expect(secondsAfterNow(decideRetry({ kind: 'rate_limited', retryAt: null }, 0, now, policy, 0).nextPollAt)).toBe(61);
    const past = new Date(now.getTime() - 5000);
    expect(secondsAfterNow(decideRetry({ kind: 'rate_limited', retryAt: past }, 0, now, policy, 0).nextPollAt)).toBe(61);
  });

  it('backs off exponentially with jitter between half and all of the step, up to the cap', () => {
    const waits = [0, 1, 2, 3].map((failures) => secondsAfterNow(decideRetry({ kind: 'unavailable', retryAt: null }, failures, now, policy, 1).nextPollAt));
    waits.forEach((wait, failures) => expect(wait).toBeCloseTo(2 * 2 ** failures, 3));
    expect(secondsAfterNow(decideRetry({ kind: 'unavailable', retryAt: null }, 3, now, policy, 0).nextPollAt)).toBeCloseTo(8, 3);
    expect(secondsAfterNow(decideRetry({ kind: 'unavailable', retryAt: null }, 50, now, policy, 1).nextPollAt)).toBeCloseTo(300, 3);
    expect(decideRetry({ kind: 'unavailable', retryAt: null }, 0, now, policy, 0).state).toBe('failing');
  });

  it('waits at least a minute (before jitter) when credentials were refused', () => {
    const decision = decideRetry({ kind: 'rejected', retryAt: null }, 0, now, policy, 1);
    expect(decision.state).toBe('failing');
    expect(secondsAfterNow(decision.nextPollAt)).toBeCloseTo(60, 3);
  });
});
