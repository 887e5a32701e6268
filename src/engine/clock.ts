// A virtual clock in whole seconds. Nothing in the engine reads the wall clock: the store (or a
// test, or the headless protocol's `advance`) moves time forward, so AGE columns, DNS cache TTLs,
// session-affinity timeouts and conntrack expiry are all reproducible.

/** 2026-01-01T00:00:00Z: the simulated cluster's epoch, in Unix seconds. */
export const SIM_EPOCH = 1_767_225_600;

export interface Clock {
  /** Seconds since the cluster was created. */
  now(): number;
}

export class VirtualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  advance(seconds: number): void {
    if (Number.isFinite(seconds) && seconds > 0) this.t += seconds;
  }
}

/** RFC 3339 timestamp (`2026-01-01T00:00:05Z`) of a moment on the virtual clock. */
export function rfc3339(seconds: number): string {
  const unix = SIM_EPOCH + Math.floor(seconds);
  const days = Math.floor(unix / 86400);
  const rem = unix - days * 86400;
  // civil_from_days (Howard Hinnant): proleptic Gregorian date from days since 1970-01-01.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const hh = Math.floor(rem / 3600);
  const mm = Math.floor((rem % 3600) / 60);
  return `${p(y, 4)}-${p(m)}-${p(d)}T${p(hh)}:${p(mm)}:${p(rem % 60)}Z`;
}

/** Seconds on the virtual clock of an RFC 3339 timestamp written by rfc3339. */
export function fromRfc3339(ts: string | undefined): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(ts ?? '');
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + s - SIM_EPOCH;
}

/** kubectl's AGE column (duration.HumanDuration): 5s, 3m20s, 2d4h, … */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  const min = Math.floor(s / 60);
  if (min < 10) return s % 60 === 0 ? `${min}m` : `${min}m${s % 60}s`;
  if (min < 180) return `${min}m`;
  const h = Math.floor(s / 3600);
  if (h < 8) return min % 60 === 0 ? `${h}h` : `${h}h${min % 60}m`;
  if (h < 48) return `${h}h`;
  const days = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${days}d` : `${days}d${h % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (days < 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
