import * as hdr from 'hdr-histogram-js';

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles of millisecond samples, through an HDR histogram at microsecond resolution. */
export function percentiles(samplesMs: number[]): Percentiles {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  for (const sample of samplesMs) histogram.recordValue(Math.max(1, Math.round(sample * 1000)));
  const at = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  const result = {
    count: samplesMs.length,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: histogram.maxValue / 1000,
    mean: histogram.mean / 1000,
  };
  histogram.destroy();

  return result;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of per-round ratios a[i] / b[i]: robust to drift that affects a whole round. */
export function medianRatio(a: number[], b: number[]): number {
  const ratios = a.map((value, i) => value / b[i]).filter((ratio) => Number.isFinite(ratio));

  return median(ratios);
}

export const round2 = (value: number) => Math.round(value * 100) / 100;
