// Small primitives for long-running Omaha clients (`instance fake`, `watch`):
// cancellable sleeps, a cap on requests in flight, and batched output. They
// let thousands of simulated instances share one process without busy loops
// or unbounded queues.
import type { Output } from '../command.js';

/** setTimeout cannot wait longer than this; longer sleeps are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface PendingSleep {
  timer: NodeJS.Timeout;
  resolve: (completed: boolean) => void;
}

/** Sleeps that all end at once when the run is stopped. */
export class Sleeper {
  private readonly pending = new Set<PendingSleep>();
  private stoppedFlag = false;

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** Resolves true after `ms`, or false as soon as (or if already) stopped. */
  sleep(ms: number): Promise<boolean> {
    if (this.stoppedFlag) return Promise.resolve(false);
    const wait = Math.max(0, Math.min(ms, MAX_TIMER_MS));
    const rest = ms - wait;
    const done = new Promise<boolean>((resolve) => {
      const entry: PendingSleep = {
        resolve,
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve(true);
        }, wait),
      };
      this.pending.add(entry);
    });
    return rest > 0 ? done.then((ok) => ok && this.sleep(rest)) : done;
  }

  /** Ends every pending sleep (they resolve false) and refuses new ones. */
  stop(): void {
    this.stoppedFlag = true;
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.resolve(false);
    }
    this.pending.clear();
  }
}

/** Counting semaphore: at most `limit` holders; waiters are served in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<(granted: boolean) => void> = [];
  private closed = false;

  constructor(readonly limit: number) {}

  /** Resolves true with a slot held, or false when the limiter was closed. */
  acquire(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // the slot passes straight to the next waiter
    if (next) next(true);
    else this.active--;
  }

  /** Turns away every waiter and future caller. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter(false);
  }
}

/**
 * Collects text written during one turn of the event loop and writes it in
 * one call: thousands of instances printing a line each cost one syscall.
 */
export class BatchedOutput {
  private buffer = '';
  private scheduled = false;
  private closed = false;

  constructor(private readonly target: Output) {}

  write(text: string): void {
    if (this.closed) return;
    this.buffer += text;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    this.target.write(text);
  }

  /** Flushes what is pending and drops anything written later. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}

/** Resolves after `ms` without keeping the process alive. */
export function grace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Go's time.Ticker on top of a Sleeper: ticks fall due every `intervalMs`
 * from creation; while the caller is busy one tick waits and the others are
 * dropped, so a slow tick handler never causes a burst.
 */
export class Ticker {
  private readonly start = performance.now();
  private consumed = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly sleeper: Sleeper,
  ) {}

  /** Resolves true at the next tick, false when the sleeper is stopped. */
  async next(): Promise<boolean> {
    const due = this.start + (this.consumed + 1) * this.intervalMs;
    if (!(await this.sleeper.sleep(due - performance.now()))) return false;
    const elapsedTicks = Math.floor((performance.now() - this.start) / this.intervalMs);
    this.consumed = Math.max(this.consumed + 1, elapsedTicks);
    return true;
  }
}
