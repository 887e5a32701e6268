import { describe, expect, it } from 'vitest';
import { fromRfc3339, humanDuration, rfc3339 } from './clock';

describe('virtual clock', () => {
  it('formats the epoch and round-trips timestamps', () => {
    expect(rfc3339(0)).toBe('2026-01-01T00:00:00Z');
    expect(rfc3339(86400 * 59 + 3661)).toBe('2026-03-01T01:01:01Z');
    for (const t of [0, 1, 59, 86399, 86400 * 400 + 17]) expect(fromRfc3339(rfc3339(t))).toBe(t);
  });
  it('renders AGE like kubectl (duration.HumanDuration)', () => {
    expect(humanDuration(5)).toBe('5s');
    expect(humanDuration(119)).toBe('119s');
    expect(humanDuration(200)).toBe('3m20s');
    expect(humanDuration(3600 * 3 + 60 * 5)).toBe('3h5m');
    expect(humanDuration(86400 * 2 + 3600 * 4)).toBe('2d4h');
  });
});
