/** "3 min ago", "in 2 h": how long from now a moment is, for a table read at a glance. */
export function relativeTime(at: string | null | undefined, now: Date): string {
  if (!at) return '—';
  const seconds = Math.round((Date.parse(at) - now.getTime()) / 1000);
  const span = duration(Math.abs(seconds));
  return seconds >= 0 ? `in ${span}` : `${span} ago`;
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} d`;
}

export function milliseconds(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
