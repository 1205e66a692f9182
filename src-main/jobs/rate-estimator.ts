// Rate and ETA from (time, done) samples: an exponentially weighted average of recent speed, so
// the ETA follows real changes (cache hits, slow devices) without jumping on every sample.

export class RateEstimator {
  private lastTime: number | undefined;
  private lastDone = 0;
  private rate: number | undefined;

  constructor(private readonly halfLifeMs = 3000) {}

  /** Feeds a sample; returns the smoothed rate in units per second (undefined until known). */
  sample(nowMs: number, done: number): number | undefined {
    if (this.lastTime === undefined) {
      this.lastTime = nowMs;
      this.lastDone = done;
      return undefined;
    }
    const dt = nowMs - this.lastTime;
    if (dt <= 0) return this.rate;
    const instant = ((done - this.lastDone) * 1000) / dt;
    const weight = 1 - Math.pow(0.5, dt / this.halfLifeMs);
    this.rate = this.rate === undefined ? instant : this.rate + weight * (instant - this.rate);
    this.lastTime = nowMs;
    this.lastDone = done;
    return this.rate;
  }

  current(): number | undefined {
    return this.rate;
  }
}

export function etaSeconds(done: number, total: number | undefined, rate: number | undefined): number | undefined {
  if (total === undefined || rate === undefined || rate <= 0 || done >= total) return undefined;
  return (total - done) / rate;
}
