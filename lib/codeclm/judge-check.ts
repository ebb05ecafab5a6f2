// Checking the Contrastive Filtering judge (paper §4.3). Averaging the two orders hides verdicts that flip with
// the order (order A says strong is better, order B says target is): those are a coin toss, not a quality gap,
// and are flagged. Calibration replays the stored gaps under other thresholds θ, so a user sees how θ changes the
// yield without paying for a new run, and the position-bias rate tells how often the judge simply prefers a slot.
import { inTwentieths, type CombinedScores } from "./filter";

type OrderScores = Pick<
  CombinedScores,
  "strongScoreOrderA" | "targetScoreOrderA" | "strongScoreOrderB" | "targetScoreOrderB"
>;

/** The two orders disagree in sign: one prefers the strong answer, the other the target's. */
export function isOrderInconsistent(scores: OrderScores): boolean {
  const gapA = scores.strongScoreOrderA - scores.targetScoreOrderA;
  const gapB = scores.strongScoreOrderB - scores.targetScoreOrderB;
  return (gapA > 0 && gapB < 0) || (gapA < 0 && gapB > 0);
}

/** Which slot won in both orders, if the same slot did: "first" or "second" shown; null otherwise. */
export function consistentPositionPreference(scores: OrderScores): "first" | "second" | null {
  // Order A shows strong first; order B shows target first.
  const firstWinsA = scores.strongScoreOrderA > scores.targetScoreOrderA;
  const secondWinsA = scores.strongScoreOrderA < scores.targetScoreOrderA;
  const firstWinsB = scores.targetScoreOrderB > scores.strongScoreOrderB;
  const secondWinsB = scores.targetScoreOrderB < scores.strongScoreOrderB;
  if (firstWinsA && firstWinsB) return "first";
  if (secondWinsA && secondWinsB) return "second";
  return null;
}

export type InconsistentVerdictPolicy = "iterate" | "drop";

/**
 * What an order-inconsistent verdict becomes: "iterate" treats it as no clear gap (another rewrite, dropped
 * after the last iteration); "drop" drops the instruction at once. A consistent verdict keeps its decision.
 */
export function decisionForInconsistent<D extends string>(
  decision: D,
  inconsistent: boolean,
  policy: InconsistentVerdictPolicy,
  lastIteration: boolean,
): D | "next_iteration" | "drop" {
  if (!inconsistent) return decision;
  if (policy === "drop" || lastIteration) return "drop";
  return "next_iteration";
}

/** One stored judgement of one version of one chain. */
export interface StoredGap {
  /** The rewrite chain (the basic instruction's id). */
  chainId: number;
  iteration: number;
  gap: number;
  inconsistent?: boolean;
}

export interface CalibrationRow {
  theta: number;
  /** Chains kept with the strong answer (G > θ) at the first stored iteration deciding. */
  keptStrong: number;
  keptTarget: number;
  /** Chains every stored version of which is within ±θ and whose last stored version is the last iteration. */
  dropped: number;
  /**
   * Chains this run stopped before θ would have: they were kept at a gap ≤ this θ, so under it they would
   * have been rewritten again, with versions never generated. Their fate is unknown.
   */
  undetermined: number;
}

/**
 * Replays each chain's stored gaps under each θ: a chain is kept at its first version with |G| > θ; versions the
 * run never made (because it kept the chain earlier) make the outcome undetermined rather than guessed.
 * Flagged (order-inconsistent) verdicts never keep a chain: they drop it or count as no clear gap, by `inconsistent`
 * (the run's setting), as the filter treated them.
 */
export function calibrateThresholds(
  gaps: readonly StoredGap[],
  options: { thetas?: readonly number[]; maxIterations: number; inconsistent?: InconsistentVerdictPolicy },
): CalibrationRow[] {
  const thetas = options.thetas ?? [1, 2, 3, 4, 5, 6];
  const chains = new Map<number, StoredGap[]>();
  for (const gap of gaps) {
    const chain = chains.get(gap.chainId) ?? [];
    chain.push(gap);
    chains.set(gap.chainId, chain);
  }
  for (const chain of chains.values()) chain.sort((a, b) => a.iteration - b.iteration);
  return thetas.map((theta) => {
    const row: CalibrationRow = { theta, keptStrong: 0, keptTarget: 0, dropped: 0, undetermined: 0 };
    for (const chain of chains.values()) {
      let decided = false;
      for (const version of chain) {
        if (version.inconsistent) {
          if (options.inconsistent !== "drop") continue;
          row.dropped++;
          decided = true;
          break;
        }
        // The filter's own comparison (integer twentieths), so θ = 3 replays exactly what the run decided.
        const gap = inTwentieths(version.gap);
        const t = inTwentieths(theta);
        if (gap > t) row.keptStrong++;
        else if (gap < -t) row.keptTarget++;
        else continue;
        decided = true;
        break;
      }
      if (decided) continue;
      const last = chain[chain.length - 1];
      if (last && last.iteration >= options.maxIterations) row.dropped++;
      else row.undetermined++;
    }
    return row;
  });
}

export interface JudgeHealth {
  judged: number;
  inconsistent: number;
  /** Share of verdicts where the same slot won in both orders (the judge preferred a position, not an answer). */
  positionBiasRate: number;
  firstSlotWins: number;
  secondSlotWins: number;
}

export function judgeHealth(judgements: readonly OrderScores[]): JudgeHealth {
  let inconsistent = 0;
  let firstSlotWins = 0;
  let secondSlotWins = 0;
  for (const scores of judgements) {
    if (isOrderInconsistent(scores)) inconsistent++;
    const preference = consistentPositionPreference(scores);
    if (preference === "first") firstSlotWins++;
    if (preference === "second") secondSlotWins++;
  }
  const judged = judgements.length;
  return {
    judged,
    inconsistent,
    positionBiasRate: judged === 0 ? 0 : (firstSlotWins + secondSlotWins) / judged,
    firstSlotWins,
    secondSlotWins,
  };
}
