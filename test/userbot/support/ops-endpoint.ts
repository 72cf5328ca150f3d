/** A process's operations endpoint as a test reads it: `/healthz` and `/metrics` on `127.0.0.1:<port>`. */
export interface OpsEndpoint {
  get(path: string): Promise<{ status: number; body: string }>;
  /** One sample of a `/metrics` series (0 when the series is not there yet). */
  metric(series: string): Promise<number>;
}

/** Reads the endpoint on `port()` (a function: the port may be chosen after the helper is made). */
export function opsEndpoint(port: () => number): OpsEndpoint {
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port()}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.text() };
  };
  return {
    get,
    async metric(series) {
      const { body } = await get('/metrics');
      const line = body.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? 0 : Number(line.slice(series.length + 1));
    },
  };
}
