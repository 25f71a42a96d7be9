import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessSample {
  /** User + system CPU time, milliseconds. */
  cpuMs: number;
  rssMb: number;
  heapMb: number;
}

export function sampleProcess(): ProcessSample {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();

  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMb: memory.rss / 1048576,
    heapMb: memory.heapUsed / 1048576,
  };
}

/** Event-loop delay of this process while `start`..`stop` runs (p99 and max, milliseconds). */
export function eventLoopProbe(): { stop(): { p99Ms: number; maxMs: number } } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();

  return {
    stop() {
      histogram.disable();

      return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
    },
  };
}
