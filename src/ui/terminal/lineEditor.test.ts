import { describe, expect, it } from 'vitest';
import { applyCompletion, emptyLine, feed, redraw } from './lineEditor';

const type = (data: string, state = emptyLine()) => feed(state, data);

describe('line editor', () => {
  it('submits the typed line on Enter and remembers it', () => {
    const { state, events } = type('get pods\r');
    expect(events).toEqual([{ type: 'submit', line: 'get pods' }]);
    expect(state.buffer).toBe('');
    expect(state.history).toEqual(['get pods']);
  });

  it('edits in the middle of the line with arrows, backspace and delete', () => {
    const { state } = type('kubectl gt\x1b[Dex\x7f\x1b[C\x1b[3~s');
    // "kubectl gt", cursor before t, insert e then x, rub out x, right past t, delete nothing, type s.
    expect(state.buffer).toBe('kubectl gets');
    expect(state.cursor).toBe(12);
  });

  it('walks history with up and down and restores the draft', () => {
    let s = type('one\rtwo\r').state;
    s = type('dra', s).state;
    s = type('\x1b[A', s).state;
    expect(s.buffer).toBe('two');
    s = type('\x1b[A\x1b[A', s).state;
    expect(s.buffer).toBe('one');
    s = type('\x1b[B\x1b[B', s).state;
    expect(s.buffer).toBe('dra');
  });

  it('Ctrl+C abandons the line, Ctrl+U and Ctrl+W rub out', () => {
    expect(type('abc\x03').events).toEqual([{ type: 'interrupt' }]);
    expect(type('get pods\x17').state.buffer).toBe('get ');
    expect(type('get pods\x15').state.buffer).toBe('');
  });

  it('submits every line of a paste', () => {
    const { events } = type('get pods\r\nget svc\r');
    expect(events).toEqual([
      { type: 'submit', line: 'get pods' },
      { type: 'submit', line: 'get svc' },
    ]);
  });

  it('completes a unique candidate with a space and lists ambiguous ones', () => {
    const s = type('kubectl ge').state;
    expect(applyCompletion(s, ['get']).state.buffer).toBe('kubectl get ');
    const many = applyCompletion(type('kubectl get de').state, ['deployments', 'deploy']);
    expect(many.state.buffer).toBe('kubectl get deploy');
    const list = applyCompletion(type('kubectl get d').state, ['deploy', 'ds']);
    expect(list.list).toEqual(['deploy', 'ds']);
  });

  it('redraws the prompt and puts the cursor back', () => {
    const s = type('abc\x1b[D\x1b[D').state;
    expect(redraw(s)).toBe('\r$ abc\x1b[K\x1b[2D');
  });
});
