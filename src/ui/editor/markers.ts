// Where the API server's errors go in the editor: at the line of the offending field when the
// engine knows it, else at the start of the object's document; syntax errors at their column.
import type { ApplyResult } from '../../store/labStore';

type ApplyError = ApplyResult['errors'][number];

export interface MarkerRange {
  readonly startLineNumber: number;
  readonly startColumn: number;
  readonly endLineNumber: number;
  readonly endColumn: number;
  readonly message: string;
}

/** 1-based first line of each document in a YAML stream (after its `---`, if any). */
export function documentStartLines(yaml: string): number[] {
  const lines = yaml.split(/\r?\n/);
  const starts: number[] = [];
  let start = 1;
  let seenContent = false;
  lines.forEach((line, i) => {
    if (/^---(\s|$)/.test(line)) {
      if (seenContent) starts.push(start);
      start = i + 2;
      seenContent = false;
    } else if (line.trim() !== '' && !line.trimStart().startsWith('#')) {
      seenContent = true;
    }
  });
  starts.push(start);
  return starts;
}

/** The kubectl-style prefix of an error: which object it is about. */
const subject = (e: ApplyError) =>
  e.type === 'BadRequest'
    ? 'Error from server (BadRequest): '
    : e.kind && e.name
      ? `${e.kind} "${e.name}" is invalid: `
      : e.kind
        ? `${e.kind}: `
        : '';

export function errorMarkers(yaml: string, errors: readonly ApplyError[]): MarkerRange[] {
  const lines = yaml.split(/\r?\n/);
  const starts = documentStartLines(yaml);
  // An error about several fields (strict decoding's unknown ones) marks each of their lines.
  return errors.flatMap((e) =>
    (e.lines?.length ? e.lines : [e.line ?? starts[e.document] ?? 1]).map((line) => {
      const lineNumber = Math.min(Math.max(1, line), Math.max(1, lines.length));
      const text = lines[lineNumber - 1] ?? '';
      const indent = text.length - text.trimStart().length;
      const startColumn = e.column ?? indent + 1;
      const endColumn = e.column !== undefined ? Math.max(e.column + 1, text.length + 1) : text.length + 1;
      return {
        startLineNumber: lineNumber,
        startColumn,
        endLineNumber: lineNumber,
        endColumn: Math.max(endColumn, startColumn + 1),
        message: subject(e) + e.message,
      };
    }),
  );
}
