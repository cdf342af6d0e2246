import type { BenchOptions } from '../harness/options';
import type { TargetResult } from '../harness/targets';

export interface GrowthResult {
  targets: TargetResult[];
  markdown: string;
  failed: boolean;
}

export async function runGrowth(_distDir: string, _options: BenchOptions): Promise<GrowthResult> {
  throw new Error('growth scenario: not written yet');
}
