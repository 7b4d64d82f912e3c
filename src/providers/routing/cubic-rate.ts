/**
 * The adaptive part of the rate limiter, in the spirit of the AWS SDK's adaptive retry mode (CUBIC congestion
 * control, RFC 8312): no limit until the service throttles; then the rate drops to BETA times the rate that
 * was being sent, and grows back along a cubic curve in time: fast at first, flat near the rate of the last
 * throttle (reached after K seconds), then probing above it, slowly at first.
 *
 * One cut per round, as TCP does: a throttle answering a request sent before the last cut says nothing the cut
 * did not already account for, so a burst of throttles cuts once, not once per response. When the curve has
 * climbed far above the last throttled rate without another throttle, the limit is dropped again.
 */
const BETA = 0.7;
/** Growth constant of the curve, in requests per second per second cubed. */
const C = 0.4;
/** Lowest rate the limiter ever sets, requests per second. */
export const MIN_RATE = 0.5;
/** The send rate is measured over this window. */
const WINDOW_MS = 1000;
/** The limit is dropped once the curve exceeds this multiple of the last throttled rate. */
const RELEASE_FACTOR = 4;

export class CubicRate {
  /** Rate at the last throttle (W_max), requests per second; 0 before the first throttle. */
  #peak = 0;
  #cutAt = Number.NEGATIVE_INFINITY;
  /** Seconds the curve takes to come back to #peak. */
  #k = 0;
  readonly #sends: number[] = [];
  #oldest = 0;

  /** The allowed rate at `now`, requests per second, or undefined when there is no limit. */
  rateAt(now: number): number | undefined {
    if (this.#peak === 0) return undefined;
    const t = (now - this.#cutAt) / 1000;
    const rate = C * (t - this.#k) ** 3 + this.#peak;
    if (rate > this.#peak * RELEASE_FACTOR) {
      this.#peak = 0;
      return undefined;
    }
    return Math.max(MIN_RATE, rate);
  }

  /** Records a request leaving now (for the measured send rate). */
  noteSend(now: number): void {
    this.#sends.push(now);
    this.#trim(now);
  }

  /** Requests sent in the last second. */
  sendRate(now: number): number {
    this.#trim(now);
    return ((this.#sends.length - this.#oldest) * 1000) / WINDOW_MS;
  }

  /** A request sent at `sentAt` was throttled. Returns whether the rate was cut. */
  onThrottle(sentAt: number, now: number): boolean {
    if (sentAt < this.#cutAt) return false;
    const current = this.rateAt(now) ?? Number.POSITIVE_INFINITY;
    const base = Math.max(MIN_RATE, Math.min(this.sendRate(now), current));
    this.#peak = base;
    this.#cutAt = now;
    this.#k = Math.cbrt((base * (1 - BETA)) / C);
    return true;
  }

  #trim(now: number): void {
    while (this.#oldest < this.#sends.length && this.#sends[this.#oldest]! <= now - WINDOW_MS) this.#oldest++;
    if (this.#oldest > 1024 && this.#oldest * 2 > this.#sends.length) {
      this.#sends.splice(0, this.#oldest);
      this.#oldest = 0;
    }
  }
}
