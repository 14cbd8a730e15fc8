/** How a failed poll ended, in the terms that decide when to try again. */
export type PollFailureKind = 'rate_limited' | 'rejected' | 'unavailable';

export interface PollFailure {
  kind: PollFailureKind;
  /** For `rate_limited`: when the platform allows requests again, if it said. */
  retryAt: Date | null;
}

export interface RetryPolicy {
  /** The normal wait between polls; the first backoff step. */
  pollIntervalSeconds: number;
  maxBackoffSeconds: number;
  /** Refused credentials do not fix themselves in seconds: their backoff step is at least this long (jitter then waits half to all of it). */
  rejectedMinimumSeconds: number;
  /** When a platform says 429 without a reset time. */
  rateLimitFallbackSeconds: number;
  /** Added to a platform's reset time, so a clock a little ahead of the platform's does not send early. */
  resetMarginSeconds: number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'pollIntervalSeconds'> = {
  maxBackoffSeconds: 300,
  rejectedMinimumSeconds: 60,
  rateLimitFallbackSeconds: 60,
  resetMarginSeconds: 1,
};

export interface RetryDecision {
  state: 'rate_limited' | 'failing';
  nextPollAt: Date;
}

/**
 * When to poll a source again after a failure. A rate limit waits exactly until the platform's
 * reset (never earlier: sending before it only earns another 429 and risks a ban); anything else
 * backs off exponentially with jitter, so a failing platform is not hammered and several
 * instances do not retry in lockstep. `random` is in [0, 1].
 */
export function decideRetry(failure: PollFailure, consecutiveFailures: number, now: Date, policy: RetryPolicy, random: number): RetryDecision {
  if (failure.kind === 'rate_limited') {
    const reset =
      failure.retryAt && failure.retryAt.getTime() > now.getTime() ? failure.retryAt.getTime() : now.getTime() + policy.rateLimitFallbackSeconds * 1000;
    return { state: 'rate_limited', nextPollAt: new Date(reset + policy.resetMarginSeconds * 1000) };
  }
  const exponent = Math.min(consecutiveFailures, 30);
  let seconds = Math.min(policy.maxBackoffSeconds, policy.pollIntervalSeconds * 2 ** exponent);
  if (failure.kind === 'rejected') seconds = Math.max(seconds, policy.rejectedMinimumSeconds);
  const jittered = seconds * (0.5 + random / 2);
  return { state: 'failing', nextPollAt: new Date(now.getTime() + jittered * 1000) };
}
