/**
 * The adaptive part of the rate limiter, in the spirit of the AWS SDK's adaptive retry mode (CUBIC congestion
 * control, RFC 8312): no limit until the service first throttles. Then the rate drops to BETA times the rate
 * the service was ACCEPTING (answers that were not throttles, over the last second), not the rate being
 * attempted: after a burst of 500 that the service answered 40 of, the useful figure is 40. The rate grows
 * back along a cubic curve in time: fast at first, flat near the rate of the last throttle (reached after K
 * seconds), then probing above it, slowly at first.
 *
 * One cut per round, as TCP does: a throttle answering a request sent before the last cut says nothing the cut
 * did not already account for, so a burst of throttles cuts once, not once per response.
 *
 * Once throttled, never unlimited again: as in the SDK, the rate is also held to twice the accepted rate (but
 * never below the rate of the last throttle), so a quiet spell does not let the curve grow into a burst.
 */
const BETA = 0.7;
/** Growth constant of the curve, in requests per second per second cubed. */
const C = 0.4;
/** Lowest rate the limiter ever sets, requests per second. */
export const MIN_RATE = 0.5;
/** Accepted requests are counted over this window. */
const WINDOW_MS = 1000;
/** The rate is held to this multiple of the accepted rate (above the rate of the last throttle). */
const GROWTH_CAP = 2;

export class CubicRate {
  /** Accepted rate at the last throttle (W_max), requests per second; 0 before the first throttle. */
  #peak = 0;
  #cutAt = Number.NEGATIVE_INFINITY;
  /** Seconds the curve takes to come back to #peak. */
  #k = 0;
  readonly #accepted: number[] = [];
  #oldest = 0;

  /** The allowed rate at `now`, requests per second, or undefined before the first throttle (no limit). */
  rateAt(now: number): number | undefined {
    if (this.#peak === 0) return undefined;
    const t = (now - this.#cutAt) / 1000;
    const curve = C * (t - this.#k) ** 3 + this.#peak;
    const cap = Math.max(this.#peak, GROWTH_CAP * this.acceptedRate(now));
    return Math.max(MIN_RATE, Math.min(curve, cap));
  }

  /** The service accepted a request (answered it with anything but a throttle) at `now`. */
  noteAccepted(now: number): void {
    this.#accepted.push(now);
    this.#trim(now);
  }

  /** Requests the service accepted in the last second. */
  acceptedRate(now: number): number {
    this.#trim(now);
    return ((this.#accepted.length - this.#oldest) * 1000) / WINDOW_MS;
  }

  /** A request sent at `sentAt` was throttled, answered at `now`. Returns whether the rate was cut. */
  onThrottle(sentAt: number, now: number): boolean {
    if (sentAt < this.#cutAt) return false;
    const current = this.rateAt(now) ?? Number.POSITIVE_INFINITY;
    const base = Math.max(MIN_RATE, Math.min(this.acceptedRate(now), current));
    this.#peak = base;
    this.#cutAt = now;
    this.#k = Math.cbrt((base * (1 - BETA)) / C);
    return true;
  }

  #trim(now: number): void {
    while (this.#oldest < this.#accepted.length && this.#accepted[this.#oldest]! <= now - WINDOW_MS) this.#oldest++;
    if (this.#oldest > 1024 && this.#oldest * 2 > this.#accepted.length) {
      this.#accepted.splice(0, this.#oldest);
      this.#oldest = 0;
    }
  }
}
