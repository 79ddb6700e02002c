// Holds on fake activities: a matching call waits until the test releases it, which keeps a
// dispute in a phase it would otherwise pass through at once (acknowledging, investigating,
// correcting).

/** Holds matching calls of one activity until released. */
export interface Hold {
  /** Resolves once a matching call is waiting on the hold. */
  readonly reached: Promise<void>;
  release(): void;
}

interface Entry {
  activity: string;
  matches: (args: unknown[]) => boolean;
  released: boolean;
  reach: () => void;
  open: Promise<void>;
  release: () => void;
}

function defer(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The holds of one set of activities, whose argument lists `Args` gives by name. */
export class Holds<Args extends Record<string, unknown[]>> {
  private readonly entries: Entry[] = [];
  private waitingCount = 0;
  private waitingLocalCount = 0;

  /** Calls waiting on a hold right now. */
  get waiting(): number {
    return this.waitingCount;
  }

  /** Local activities among them: each keeps its workflow task open while it waits. */
  get waitingLocal(): number {
    return this.waitingLocalCount;
  }

  add<K extends keyof Args & string>(activity: K, matches: (...args: Args[K]) => boolean): Hold {
    const reached = defer();
    const open = defer();
    const entry: Entry = {
      activity,
      matches: (args) => matches(...(args as Args[K])),
      released: false,
      reach: reached.resolve,
      open: open.promise,
      release: () => {
        entry.released = true;
        open.resolve();
      },
    };
    this.entries.push(entry);
    return { reached: reached.promise, release: entry.release };
  }

  /** Returns once no closed hold matches this call (`local`: a local activity's). */
  async pass<K extends keyof Args & string>(
    activity: K,
    args: Args[K],
    local: boolean,
  ): Promise<void> {
    for (const entry of this.entries) {
      if (entry.activity !== activity || entry.released) continue;
      if (!entry.matches(args)) continue;
      entry.reach();
      this.waitingCount += 1;
      if (local) this.waitingLocalCount += 1;
      try {
        await entry.open;
      } finally {
        this.waitingCount -= 1;
        if (local) this.waitingLocalCount -= 1;
      }
    }
  }

  releaseAll(): void {
    for (const entry of this.entries) entry.release();
  }
}
