// Coalesces many small database operations issued close together into one statement: callers await their own
// item's result; the batch is flushed at the end of the current event-loop turn (or after `maxDelayMs`), or once
// `maxSize` items wait. Under load this turns hundreds of round trips per second into a few dozen.

export interface MicroBatcher<I, O> {
  add(item: I): Promise<O>;
  /** Flushes what is waiting now. */
  flush(): Promise<void>;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/** `run` gets the items in arrival order and must return one result per item, in the same order. */
export function createMicroBatcher<I, O>(
  run: (items: I[]) => Promise<O[]>,
  options: { maxDelayMs?: number; maxSize?: number } = {},
): MicroBatcher<I, O> {
  const maxDelayMs = options.maxDelayMs ?? 0;
  const maxSize = options.maxSize ?? 200;
  let waiting: Waiting<I, O>[] = [];
  let scheduled: { cancel: () => void } | null = null;

  function schedule(): void {
    if (scheduled) return;
    if (maxDelayMs > 0) {
      const timer = setTimeout(() => void flush(), maxDelayMs);
      scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(() => void flush());
      scheduled = { cancel: () => clearImmediate(immediate) };
    }
  }

  async function flush(): Promise<void> {
    scheduled?.cancel();
    scheduled = null;
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    try {
      const results = await run(batch.map((entry) => entry.item));
      if (results.length !== batch.length)
        throw new Error(`A batch of ${batch.length} returned ${results.length} results`);
      batch.forEach((entry, index) => entry.resolve(results[index] as O));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }

  return {
    add(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (waiting.length >= maxSize) void flush();
        else schedule();
      });
    },
    flush,
  };
}
