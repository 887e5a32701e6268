import { describe, expect, it } from 'vitest';
import { formatRoute, parseHash } from './route';

describe('lesson routes in the URL hash', () => {
  it('reads the list, a lesson at a step, and a lesson without a step', () => {
    expect(parseHash('#/lessons')).toEqual({ view: 'list' });
    expect(parseHash('#/lessons/')).toEqual({ view: 'list' });
    expect(parseHash('#/lessons/08-hands-on/2')).toEqual({ view: 'lesson', id: '08-hands-on', step: 2 });
    expect(parseHash('#/lessons/08-hands-on')).toEqual({ view: 'lesson', id: '08-hands-on', step: 1 });
    expect(parseHash('#/lessons/08-hands-on/0')).toEqual({ view: 'lesson', id: '08-hands-on', step: 1 });
  });

  it('leaves share links alone and treats anything else as free play', () => {
    expect(parseHash('#share=abc')).toEqual({ view: 'share' });
    expect(parseHash('')).toEqual({ view: 'none' });
    expect(parseHash('#main')).toEqual({ view: 'none' });
    expect(parseHash('#/lessons/<img src=x>/1')).toEqual({ view: 'none' });
    expect(parseHash('#/lessons/Bad-Id/1')).toEqual({ view: 'none' });
  });

  it('writes what it reads', () => {
    for (const r of [{ view: 'list' } as const, { view: 'lesson', id: '11-myth-busters', step: 3 } as const])
      expect(parseHash(formatRoute(r))).toEqual(r);
  });
});
