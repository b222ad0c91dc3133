// Small wording helpers for evidence details, so every sentence counts and rounds the same way.

/** `1 client`, `3 clients`, `1,200 requests`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

/** Like count(), for peers of a device: when the only peer was the device itself, `itself`. */
export function countPeers(n: number, singular: string): string {
  return n === 0 ? 'itself' : count(n, singular);
}

/** `0.9 s`, `12 s`, `5 min`. */
export function seconds(s: number): string {
  if (s >= 120) return `${Math.round(s / 60)} min`;
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

export function percent(part: number, whole: number): string {
  return `${Math.round((100 * part) / Math.max(whole, 1))}%`;
}
