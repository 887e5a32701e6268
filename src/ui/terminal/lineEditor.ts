// The shell's line discipline for the terminal: a pure state machine from the bytes xterm.js sends
// (keys as VT sequences, pasted text) to a new line state, what to echo, and the lines to run.
// Keys follow readline's defaults (https://tiswww.case.edu/php/chet/readline/rluserman.html).

export interface LineState {
  readonly buffer: string;
  readonly cursor: number;
  /** Lines run, oldest first. */
  readonly history: readonly string[];
  /** Position while walking history with up/down; `history.length` is the line being typed. */
  readonly historyIndex: number;
  /** The line being typed, kept while walking history. */
  readonly draft: string;
}

export type LineEvent =
  | { readonly type: 'submit'; readonly line: string }
  | { readonly type: 'interrupt' }
  | { readonly type: 'complete' }
  | { readonly type: 'clear' };

export const PROMPT = '$ ';

export const emptyLine = (history: readonly string[] = []): LineState => ({
  buffer: '',
  cursor: 0,
  history,
  historyIndex: history.length,
  draft: '',
});

const withBuffer = (s: LineState, buffer: string, cursor = buffer.length): LineState => ({
  ...s,
  buffer,
  cursor: Math.max(0, Math.min(cursor, buffer.length)),
});

/** Replaces the current line with a history entry (up/down). */
function walk(s: LineState, delta: number): LineState {
  const index = Math.max(0, Math.min(s.history.length, s.historyIndex + delta));
  if (index === s.historyIndex) return s;
  const draft = s.historyIndex === s.history.length ? s.buffer : s.draft;
  const buffer = index === s.history.length ? draft : (s.history[index] ?? '');
  return { ...s, buffer, cursor: buffer.length, historyIndex: index, draft };
}

/** Records a submitted line (not blanks, not a repeat of the last one, like HISTCONTROL=ignoreboth). */
export function remember(history: readonly string[], line: string): readonly string[] {
  const trimmed = line.trim();
  if (trimmed === '' || history.at(-1) === line) return history;
  return [...history.slice(-499), line];
}

const ESCAPES: Record<string, (s: LineState) => LineState> = {
  '\x1b[A': (s) => walk(s, -1),
  '\x1b[B': (s) => walk(s, 1),
  '\x1b[C': (s) => withBuffer(s, s.buffer, s.cursor + 1),
  '\x1b[D': (s) => withBuffer(s, s.buffer, s.cursor - 1),
  '\x1b[H': (s) => withBuffer(s, s.buffer, 0),
  '\x1b[F': (s) => withBuffer(s, s.buffer, s.buffer.length),
  '\x1bOH': (s) => withBuffer(s, s.buffer, 0),
  '\x1bOF': (s) => withBuffer(s, s.buffer, s.buffer.length),
  '\x1b[1~': (s) => withBuffer(s, s.buffer, 0),
  '\x1b[4~': (s) => withBuffer(s, s.buffer, s.buffer.length),
  '\x1b[3~': (s) => withBuffer(s, s.buffer.slice(0, s.cursor) + s.buffer.slice(s.cursor + 1), s.cursor),
};

const CONTROLS: Record<string, (s: LineState) => LineState> = {
  '\x01': (s) => withBuffer(s, s.buffer, 0), // Ctrl+A
  '\x05': (s) => withBuffer(s, s.buffer, s.buffer.length), // Ctrl+E
  '\x02': (s) => withBuffer(s, s.buffer, s.cursor - 1), // Ctrl+B
  '\x06': (s) => withBuffer(s, s.buffer, s.cursor + 1), // Ctrl+F
  '\x10': (s) => walk(s, -1), // Ctrl+P
  '\x0e': (s) => walk(s, 1), // Ctrl+N
  '\x15': (s) => withBuffer(s, s.buffer.slice(s.cursor), 0), // Ctrl+U
  '\x0b': (s) => withBuffer(s, s.buffer.slice(0, s.cursor), s.cursor), // Ctrl+K
  '\x17': (s) => {
    // Ctrl+W: the word before the cursor (unix-word-rubout).
    const before = s.buffer.slice(0, s.cursor).replace(/\S+\s*$/, '');
    return withBuffer(s, before + s.buffer.slice(s.cursor), before.length);
  },
  '\x7f': (s) =>
    s.cursor === 0
      ? s
      : withBuffer(s, s.buffer.slice(0, s.cursor - 1) + s.buffer.slice(s.cursor), s.cursor - 1),
  '\x08': (s) => CONTROLS['\x7f']?.(s) ?? s,
};

/** Inserts text at the cursor. */
export const insert = (s: LineState, text: string): LineState =>
  withBuffer(s, s.buffer.slice(0, s.cursor) + text + s.buffer.slice(s.cursor), s.cursor + text.length);

/**
 * Feeds one chunk of terminal input. Returns the new state and the events in order; a paste of
 * several lines submits each.
 */
export function feed(state: LineState, data: string): { state: LineState; events: LineEvent[] } {
  let s = state;
  const events: LineEvent[] = [];
  let i = 0;
  while (i < data.length) {
    const ch = data[i] ?? '';
    if (ch === '\x1b') {
      // eslint-disable-next-line no-control-regex -- ESC starts the VT sequence being matched.
      const seq = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(data.slice(i));
      const step = seq ? seq[0].length : 1;
      s = (seq && ESCAPES[seq[0]]?.(s)) || s;
      i += step;
      continue;
    }
    i += 1;
    if (ch === '\r' || ch === '\n') {
      if (ch === '\n' && data[i - 2] === '\r') continue;
      events.push({ type: 'submit', line: s.buffer });
      s = emptyLine(remember(s.history, s.buffer));
    } else if (ch === '\x03') {
      events.push({ type: 'interrupt' });
      s = emptyLine(s.history);
    } else if (ch === '\t') {
      events.push({ type: 'complete' });
    } else if (ch === '\x0c') {
      events.push({ type: 'clear' });
    } else if (CONTROLS[ch]) {
      s = CONTROLS[ch](s);
    } else if (ch >= ' ') {
      s = insert(s, ch);
    }
  }
  return { state: s, events };
}

/** The longest prefix all candidates share. */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Completes the word before the cursor from candidates for it (bash: a unique match gets a
 * trailing space; several extend to their common prefix and are listed).
 */
export function applyCompletion(
  s: LineState,
  candidates: readonly string[],
): { state: LineState; list: readonly string[] } {
  const before = s.buffer.slice(0, s.cursor);
  const word = /\S*$/.exec(before)?.[0] ?? '';
  const matching = candidates.filter((c) => c.startsWith(word));
  if (matching.length === 0) return { state: s, list: [] };
  if (matching.length === 1)
    return { state: insert(s, `${(matching[0] ?? '').slice(word.length)} `), list: [] };
  const prefix = commonPrefix(matching);
  if (prefix.length > word.length) return { state: insert(s, prefix.slice(word.length)), list: [] };
  return { state: s, list: matching };
}

/**
 * The VT sequence that redraws the prompt line: to the start, the prompt and buffer, erase the rest,
 * then back to the cursor.
 */
export function redraw(s: LineState): string {
  const back = s.buffer.length - s.cursor;
  return `\r${PROMPT}${s.buffer}\x1b[K${back > 0 ? `\x1b[${back}D` : ''}`;
}
