"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { GapBucket } from "@/lib/db/dashboard";

const bucketWidth = 0.5;
// Scores are 1–10, so G = S(strong) − S(target) lies in [−9, 9].
const scaleLimit = 9;

/** Every bucket from −9 to 9 (or wider if the data is), so the bars sit on a continuous axis. */
function fillBuckets(buckets: GapBucket[]): GapBucket[] {
  const byGap = new Map(buckets.map((bucket) => [bucket.gap, bucket]));
  const low = Math.min(-scaleLimit, ...buckets.map((bucket) => bucket.gap));
  const high = Math.max(scaleLimit, ...buckets.map((bucket) => bucket.gap));
  const filled: GapBucket[] = [];
  for (let step = Math.round(low / bucketWidth); step <= Math.round(high / bucketWidth); step++) {
    const gap = step * bucketWidth;
    filled.push(byGap.get(gap) ?? { gap, kept: 0, improved: 0, dropped: 0 });
  }
  return filled;
}

/** Judged versions by quality gap G, stacked by outcome, with the ±θ lines the filter keeps beyond. */
export function GapHistogram({ buckets, threshold }: { buckets: GapBucket[]; threshold: number }) {
  const data = fillBuckets(buckets);
  return (
    <div
      className="h-72 w-full"
      role="img"
      aria-label={`Histogram of quality gaps with thresholds at ±${threshold}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 16, right: 16, bottom: 4, left: 0 }} barCategoryGap={1}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e4e7" />
          <XAxis
            type="number"
            dataKey="gap"
            domain={[data[0]?.gap ?? -scaleLimit, data.at(-1)?.gap ?? scaleLimit]}
            ticks={[-9, -6, -3, 0, 3, 6, 9]}
            tick={{ fontSize: 11 }}
            label={{
              value: "gap G = strong − target score",
              position: "insideBottom",
              offset: -2,
              fontSize: 11,
            }}
            height={36}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={44} />
          <Tooltip
            labelFormatter={(gap) => `G = ${String(gap)}`}
            formatter={(value, name) => [Number(value).toLocaleString("en-US"), String(name)]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" height={24} />
          <Bar dataKey="kept" name="kept" stackId="outcome" fill="#10b981" isAnimationActive={false} />
          <Bar
            dataKey="improved"
            name="rewritten (next iteration)"
            stackId="outcome"
            fill="#f59e0b"
            isAnimationActive={false}
          />
          <Bar dataKey="dropped" name="dropped" stackId="outcome" fill="#a1a1aa" isAnimationActive={false} />
          <ReferenceLine
            x={threshold}
            stroke="#4f46e5"
            strokeDasharray="4 3"
            label={{ value: `θ = ${threshold}`, position: "top", fontSize: 11, fill: "#4f46e5" }}
          />
          <ReferenceLine
            x={-threshold}
            stroke="#4f46e5"
            strokeDasharray="4 3"
            label={{ value: `−θ`, position: "top", fontSize: 11, fill: "#4f46e5" }}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
