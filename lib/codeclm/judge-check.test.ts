import { describe, expect, it } from "vitest";
import { combineBothOrders } from "./filter";
import {
  calibrateThresholds,
  consistentPositionPreference,
  decisionForInconsistent,
  isOrderInconsistent,
  judgeHealth,
} from "./judge-check";

const scores = (a1: number, a2: number, b1: number, b2: number) =>
  combineBothOrders({
    orderA: { assistant_1_score: a1, assistant_2_score: a2 },
    orderB: { assistant_1_score: b1, assistant_2_score: b2 },
  });

describe("order consistency", () => {
  it("flags verdicts whose two orders disagree in sign, even when the average shows a big gap", () => {
    // A: strong 10 vs target 2 (strong first); B: target 6 vs strong 5 (target first). Mean gap 3.5.
    const flipped = scores(10, 2, 6, 5);
    expect(flipped.gap).toBe(3.5);
    expect(isOrderInconsistent(flipped)).toBe(true);
    expect(consistentPositionPreference(flipped)).toBe("first");
    expect(isOrderInconsistent(scores(9, 4, 3, 8))).toBe(false);
    expect(isOrderInconsistent(scores(7, 7, 3, 8))).toBe(false); // a tie in one order is not a flip
    expect(consistentPositionPreference(scores(4, 8, 4, 8))).toBe("second");
  });

  it("routes a flagged verdict by the setting", () => {
    expect(decisionForInconsistent("keep_strong", true, "iterate", false)).toBe("next_iteration");
    expect(decisionForInconsistent("keep_strong", true, "iterate", true)).toBe("drop");
    expect(decisionForInconsistent("keep_strong", true, "drop", false)).toBe("drop");
    expect(decisionForInconsistent("keep_strong", false, "drop", false)).toBe("keep_strong");
  });

  it("counts inconsistent verdicts and the position-bias rate", () => {
    const health = judgeHealth([
      scores(10, 2, 6, 5),
      scores(9, 4, 3, 8),
      scores(4, 8, 4, 8),
      scores(6, 6, 6, 6),
    ]);
    expect(health).toEqual({
      judged: 4,
      inconsistent: 2,
      positionBiasRate: 0.5,
      firstSlotWins: 1,
      secondSlotWins: 1,
    });
  });
});

describe("calibrateThresholds", () => {
  // Stored by a run at θ = 3 with 4 iterations.
  const gaps = [
    { chainId: 1, iteration: 1, gap: 4.5 }, // kept at once
    { chainId: 2, iteration: 1, gap: 1.5 },
    { chainId: 2, iteration: 2, gap: 3.5 }, // kept at iteration 2
    { chainId: 3, iteration: 1, gap: -5 }, // target kept
    { chainId: 4, iteration: 1, gap: 0 },
    { chainId: 4, iteration: 2, gap: 2.5 },
    { chainId: 4, iteration: 3, gap: 1 },
    { chainId: 4, iteration: 4, gap: 2 }, // dropped after the last iteration
  ];

  it("replays each chain under each θ, and says which outcomes the stored gaps cannot tell", () => {
    const rows = calibrateThresholds(gaps, { maxIterations: 4 });
    expect(rows.map((row) => row.theta)).toEqual([1, 2, 3, 4, 5, 6]);
    // θ = 3 reproduces what the run did.
    expect(rows[2]).toEqual({ theta: 3, keptStrong: 2, keptTarget: 1, dropped: 1, undetermined: 0 });
    // θ = 1: chain 2 kept at iteration 1; chain 4 at iteration 2 (2.5 > 1).
    expect(rows[0]).toEqual({ theta: 1, keptStrong: 3, keptTarget: 1, dropped: 0, undetermined: 0 });
    expect(rows[1]).toEqual({ theta: 2, keptStrong: 3, keptTarget: 1, dropped: 0, undetermined: 0 });
    // θ = 4: chain 1 (4.5) kept; chain 2's 3.5 is not enough and it never had an iteration 3.
    expect(rows[3]).toEqual({ theta: 4, keptStrong: 1, keptTarget: 1, dropped: 1, undetermined: 1 });
    expect(rows[5]).toEqual({ theta: 6, keptStrong: 0, keptTarget: 0, dropped: 1, undetermined: 3 });
    for (const row of rows) {
      expect(row.keptStrong + row.keptTarget + row.dropped + row.undetermined).toBe(4);
    }
  });

  it("compares like the filter: a gap of exactly θ in floating point (4.4 − 1.4) is not kept", () => {
    const [row] = calibrateThresholds([{ chainId: 1, iteration: 4, gap: 4.4 - 1.4 }], {
      thetas: [3],
      maxIterations: 4,
    });
    expect(row).toEqual({ theta: 3, keptStrong: 0, keptTarget: 0, dropped: 1, undetermined: 0 });
  });

  it("never keeps a chain on a flagged verdict: it drops it or looks at the next version, as the run did", () => {
    const flagged = gaps.map((gap) => (gap.chainId === 1 ? { ...gap, inconsistent: true } : gap));
    const [dropped] = calibrateThresholds(flagged, { thetas: [3], maxIterations: 4, inconsistent: "drop" });
    expect(dropped).toEqual({ theta: 3, keptStrong: 1, keptTarget: 1, dropped: 2, undetermined: 0 });
    // "iterate": chain 1 would have been rewritten, and its iteration 2 was never generated.
    const [iterated] = calibrateThresholds(flagged, { thetas: [3], maxIterations: 4 });
    expect(iterated).toEqual({ theta: 3, keptStrong: 1, keptTarget: 1, dropped: 1, undetermined: 1 });
  });
});
