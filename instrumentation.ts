// Next.js calls register() once per server start. On the Node.js runtime it starts the in-process worker (pipeline
// and evaluation queues) (unless CODECLM_IN_PROCESS_WORKER=false), without holding up the server: the imports are
// dynamic so nothing server-only reaches the edge runtime or a client bundle.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startInProcessWorker } = await import("@/lib/jobs/in-process");
  void startInProcessWorker();
}
