/**
 * The time source of the core. Every expiry decision reads `now()` from here, so tests move time
 * forward instead of sleeping, and a host may supply its own (for example a monotonic-safe clock).
 * It is also the DI token: `{ provide: Clock, useValue: myClock }`.
 * @publicApi
 */
export abstract class Clock {
  abstract now(): Date;
}

/** Wall-clock time. @publicApi */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests can set and advance. @publicApi */
export class ManualClock extends Clock {
  constructor(private current: Date = new Date()) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}
