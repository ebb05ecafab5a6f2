// Next.js calls register() once per server start. On the Node.js runtime it starts the in-process pipeline and
// evaluation workers (unless CODECLM_IN_PROCESS_WORKER=false), without holding up the server: the imports are
// dynamic so nothing server-only reaches the edge runtime or a client bundle.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startInProcessWorker } = await import("@/lib/pipeline/in-process-worker");
  void startInProcessWorker();
  const { startInProcessEvaluationWorker } = await import("@/lib/evaluation/in-process-worker");
  void startInProcessEvaluationWorker();
}
