// A first-come, first-served lock for workflow code. Update handlers and timers that change the
// dispute hold it, so one change (every activity of it) finishes before the next begins. Plain
// promises: deterministic on replay, and taken at once (no await) when it is free.
export class Lock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  get busy(): boolean {
    return this.held;
  }

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    // Ownership passes straight to the next waiter on release: nobody can slip in between.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}
