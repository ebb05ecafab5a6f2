import { describe, expect, it } from "vitest";
import { SEED_FILE_MAX_BYTES, seedFileTooLargeMessage } from "./seed-file-limit";

describe("seed file size limit", () => {
  it("lets a file at the limit through and names the size of a larger one", () => {
    expect(seedFileTooLargeMessage({ name: "ok.jsonl", size: SEED_FILE_MAX_BYTES })).toBeNull();
    expect(seedFileTooLargeMessage({ name: "big.jsonl", size: 60 * 1024 * 1024 })).toBe(
      "big.jsonl is 60.0 MB; the largest seed file accepted is 50.0 MB. Split it into smaller files (each import adds to the seeds) or remove unused fields.",
    );
  });
});
