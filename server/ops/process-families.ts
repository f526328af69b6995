/** The process's own resource use, under the dashboard's prefix so one selector finds all of it. */
import { sampledFamily, type MetricFamily } from './metrics-registry';

/** Families read from Node's process counters when scraped. */
export function processFamilies(): MetricFamily[] {
  return [
    sampledFamily('hubble_dashboard_process_resident_memory_bytes', 'Resident memory of the dashboard process.', 'gauge',
      () => [{ value: process.memoryUsage.rss() }]),
    sampledFamily('hubble_dashboard_process_heap_used_bytes', 'JavaScript heap in use.', 'gauge',
      () => [{ value: process.memoryUsage().heapUsed }]),
    sampledFamily('hubble_dashboard_process_cpu_seconds_total', 'CPU time (user and system) used by the process.', 'counter',
      () => {
        const { user, system } = process.cpuUsage();
        return [{ value: (user + system) / 1e6 }];
      }),
    sampledFamily('hubble_dashboard_process_start_time_seconds', 'When the process started (Unix seconds).', 'gauge',
      () => [{ value: Math.round(Date.now() / 1000 - process.uptime()) }]),
  ];
}
