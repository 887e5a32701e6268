// Go's text/tabwriter, which every kubectl table goes through: a cell is text terminated by a tab;
// a column block is a run of consecutive lines that have a cell in that column; each block is as
// wide as its widest cell plus the padding (at least minwidth). The text after a line's last tab
// is not part of any column. https://cs.opensource.google/go/go/+/refs/tags/go1.22.0:src/text/tabwriter/tabwriter.go
// kubectl get: cli-runtime/pkg/printers/tabwriter.go (minwidth 6, padding 3);
// kubectl describe: pkg/describe/describe.go tabbedString (minwidth 0, padding 2).

export interface TabwriterOptions {
  readonly minwidth: number;
  readonly padding: number;
}

export const GET_TABS: TabwriterOptions = { minwidth: 6, padding: 3 };
export const DESCRIBE_TABS: TabwriterOptions = { minwidth: 0, padding: 2 };

export function tabwrite(text: string, opts: TabwriterOptions = GET_TABS): string {
  const trailing = text.endsWith('\n');
  const lines = (trailing ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] ?? [];
      let s = '';
      cells.forEach((c, j) => {
        if (j < cells.length - 1 && j < widths.length) s += c.padEnd(widths[j] ?? 0, ' ');
        else s += c;
      });
      out.push(s);
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= (lines[t]?.length ?? 0) - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = opts.minwidth;
      for (; t < line1; t++) {
        const cells = lines[t] ?? [];
        if (column >= cells.length - 1) break;
        const w = (cells[column] ?? '').length + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n') + (trailing ? '\n' : '');
}

/** A kubectl table: a header row and data rows, tab-joined and written through the tabwriter. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return tabwrite([header, ...rows].map((r) => `${r.join('\t')}\n`).join(''), GET_TABS);
}
