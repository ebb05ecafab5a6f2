export interface BenchmarkRow {
  metric: string;
  value: string;
  goal?: string;
  met?: boolean;
}

export interface Benchmark {
  name: string;
  description: string;
  run: (context: { databaseUrl: string }) => Promise<BenchmarkRow[]>;
}
