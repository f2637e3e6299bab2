/**
 * CPU milliseconds a synchronous call spent in this process (user + system). Hang guards use it
 * instead of wall time: on a loaded machine (CI beside other jobs) a call waits for a core without
 * doing more work, and a wall-clock limit then fails a reader that is not slow at all.
 */
export function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
