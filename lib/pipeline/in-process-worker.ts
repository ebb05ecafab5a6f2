// The pipeline worker the web server runs for itself (see lib/jobs/in-process.ts).
import { startInProcessOnce } from "@/lib/jobs/in-process";
import { startPipelineWorker, type PipelineWorker } from "@/lib/pipeline/worker-runtime";

export function startInProcessWorker(): Promise<PipelineWorker | null> {
  return startInProcessOnce("pipeline", () => startPipelineWorker());
}
