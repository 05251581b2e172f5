// Save times for monitoring (/healthz): wraps a storage adapter and keeps
// the duration of its last 1,000 saves.
export function timed(inner) {
  const recent = [];
  let saves = 0;
  const wrapped = {
    load: key => inner.load(key),
    remove: key => inner.remove(key),
    loadRange: prefix => inner.loadRange(prefix),
    removeRange: prefix => inner.removeRange(prefix),
  };
  wrapped.save = async (key, data) => {
    const start = performance.now();
    await inner.save(key, data);
    recent.push(performance.now() - start);
    if (recent.length > 1000) recent.shift();
    saves += 1;
  };
  wrapped.stats = () => {
    const sorted = [...recent].sort((a, b) => a - b);
    const at = q => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10 : null);
    return { count: saves, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
  };
  return wrapped;
}
