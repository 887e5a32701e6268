// kubectl's JSONPath templates (`-o jsonpath=…`, `-o jsonpath-as-json=…`), ported from
// k8s.io/client-go/util/jsonpath (parser.go, jsonpath.go) and the printer wrapper in
// k8s.io/cli-runtime/pkg/printers/jsonpath.go. Text outside braces prints literally; inside braces:
// `.field`, `['key']`, `[n]`, `[start:end:step]`, `[*]`, `[a,b]` unions, `..` recursive descent,
// `[?(@.x=="y")]` filters (==, !=, <, >, <=, >=, =~, or bare existence), quoted literals with Go
// escapes, and `{range …}…{end}`. Results of one action are joined by a space; nothing is appended.
// https://kubernetes.io/docs/reference/kubectl/jsonpath/

export type ListNode = { readonly t: 'list'; readonly nodes: Node[] };
interface Param {
  known: boolean;
  value: number;
  derived: boolean;
}
type Node =
  | ListNode
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'field'; readonly name: string }
  | { readonly t: 'array'; readonly params: readonly [Param, Param, Param] }
  | { readonly t: 'filter'; readonly left: ListNode; readonly right: ListNode; readonly op: string }
  | { readonly t: 'int' | 'float'; readonly value: number }
  | { readonly t: 'bool'; readonly value: boolean }
  | { readonly t: 'wildcard' }
  | { readonly t: 'recursive' }
  | { readonly t: 'union'; readonly nodes: ListNode[] }
  | { readonly t: 'ident'; readonly name: string };

class JsonPathError extends Error {}
const err = (m: string): JsonPathError => new JsonPathError(m);

const isTerminator = (r: string): boolean => r === '' || ' \t\r\n.,[]$@{}'.includes(r);
const isAlphaNumeric = (r: string): boolean => /^[\p{L}\p{Nd}_]$/u.test(r);
const isDigit = (r: string): boolean => /^\p{Nd}$/u.test(r);

/** Go's %#U for the "unrecognized character in action" error. */
const goRune = (r: string): string =>
  `U+${(r.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} '${r}'`;

/** strconv.UnquoteChar-based UnquoteExtend: Go escapes inside '…' or "…". */
function unquoteExtend(s: string): string {
  const q = s[0];
  if (s.length < 2 || q !== s[s.length - 1] || (q !== '"' && q !== "'")) throw err('invalid syntax');
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === q) throw err('invalid syntax');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
    };
    if (e === undefined) throw err('invalid syntax');
    if (simple[e] !== undefined) out += simple[e];
    else if (e === "'" || e === '"') {
      if (e !== q) throw err('invalid syntax');
      out += e;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw err('invalid syntax');
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw err('invalid syntax');
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else throw err('invalid syntax');
  }
  return out;
}

/** parser.go: a template becomes a root list of text nodes and one list node per action. */
class Parser {
  readonly root: ListNode = { t: 'list', nodes: [] };
  private pos = 0;
  private start = 0;
  constructor(private readonly input: string) {}

  static parse(text: string): ListNode {
    const p = new Parser(text);
    p.parseText(p.root);
    return p.root;
  }

  /** parseAction: the expression inside one pair of braces. */
  static action(text: string): ListNode {
    return Parser.parse(`{${text}}`).nodes[0] as ListNode;
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }
  private next(): string {
    if (this.pos >= this.input.length) return '';
    return this.input[this.pos++] as string;
  }
  private peek(): string {
    return this.input[this.pos] ?? '';
  }
  private backup(r: string): void {
    if (r !== '') this.pos--;
  }
  private rest(): string {
    return this.input.slice(this.pos);
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.rest().startsWith('{')) {
        if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
        this.pos++;
        this.consume();
        const action: ListNode = { t: 'list', nodes: [] };
        cur.nodes.push(action);
        return this.parseInsideAction(action);
      }
      if (this.next() === '') break;
    }
    if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
  }

  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.rest();
      if (rest.startsWith('}')) {
        this.pos++;
        this.consume();
        return this.parseText(this.root);
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        if (cur.nodes.at(-1)?.t === 'recursive') throw err('invalid multiple recursive descent');
        this.pos += 2;
        this.consume();
        cur.nodes.push({ t: 'recursive' });
        if (isAlphaNumeric(this.peek())) this.parseField(cur);
        continue;
      }
      const r = this.next();
      if (r === '' || r === '\r' || r === '\n') throw err('unclosed action');
      if (r === ' ' || r === '@' || r === '$') this.consume();
      else if (r === '[') this.parseArray(cur);
      else if (r === '"' || r === "'") this.parseQuote(cur, r);
      else if (r === '.') this.parseField(cur);
      else if (r === '+' || r === '-' || isDigit(r)) {
        this.backup(r);
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup(r);
        this.parseIdentifier(cur);
      } else throw err(`unrecognized character in action: ${goRune(r)}`);
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup(r);
        break;
      }
    }
    const v = this.consume();
    cur.nodes.push(
      v === 'true' || v === 'false' ? { t: 'bool', value: v === 'true' } : { t: 'ident', name: v },
    );
  }

  private parseNumber(cur: ListNode): void {
    if (this.peek() === '+' || this.peek() === '-') this.next();
    for (;;) {
      const r = this.next();
      if (r !== '.' && !isDigit(r)) {
        this.backup(r);
        break;
      }
    }
    const v = this.consume();
    if (/^[+-]?\d+$/.test(v)) cur.nodes.push({ t: 'int', value: Number(v) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(v)) cur.nodes.push({ t: 'float', value: Number(v) });
    else throw err(`cannot parse number ${v}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === '' || r === '\n') throw err('unterminated array');
      if (r === ']') break;
    }
    let text = this.consume().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      cur.nodes.push({ t: 'union', nodes: parts.map((s) => Parser.action(`[${s.trim()}]`)) });
      return;
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      cur.nodes.push(...Parser.action(`.${dict[1] ?? ''}`).nodes);
      return;
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw err(`invalid array index ${text}`);
    const params: Param[] = [];
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? '';
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params.push({ known: false, value: 0, derived: false });
        else {
          if (!/^[+-]?\d+$/.test(v)) throw err(`array index ${v} is not a number`);
          params.push({ known: true, value: Number(v), derived: false });
        }
      } else if (i === 1) params.push({ known: true, value: (params[0]?.value ?? 0) + 1, derived: true });
      else params.push({ known: false, value: 0, derived: false });
    }
    cur.nodes.push({ t: 'array', params: params as [Param, Param, Param] });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === '' || r === '\n') throw err('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') throw err('unclosed array expect ]');
    const text = this.consume().slice(0, -2);
    const m = /^([^!<>=]+)([!<>=~]+)(.+?)$/.exec(text);
    if (!m)
      cur.nodes.push({
        t: 'filter',
        left: Parser.action(text),
        right: { t: 'list', nodes: [] },
        op: 'exists',
      });
    else
      cur.nodes.push({
        t: 'filter',
        left: Parser.action(m[1] ?? ''),
        right: Parser.action(m[3] ?? ''),
        op: m[2] ?? '',
      });
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === '' || r === '\n') throw err('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const v = this.consume();
    try {
      cur.nodes.push({ t: 'text', text: unquoteExtend(v) });
    } catch (e) {
      throw err(`unquote string ${v} error ${(e as Error).message}`);
    }
  }

  private parseField(cur: ListNode): void {
    this.consume();
    for (;;) {
      const r = this.next();
      if (r === '\\') this.next();
      else if (isTerminator(r)) {
        this.backup(r);
        break;
      }
    }
    const v = this.consume();
    cur.nodes.push(v === '*' ? { t: 'wildcard' } : { t: 'field', name: v.replace(/\\/g, '') });
  }
}

type Value = unknown;
const isMap = (v: Value): v is Record<string, Value> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const sortedValues = (m: Record<string, Value>): Value[] =>
  Object.keys(m)
    .sort()
    .map((k) => m[k]);

/** reflect's type name of a decoded JSON value, for error messages. */
function goType(v: Value): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return 'interface {}';
}

/** fmt's %v of a decoded JSON value. */
function goPlain(v: Value): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPlain).join(' ')}]`;
  if (isMap(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPlain(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** fmt's %#v of a decoded JSON value (the object dump in kubectl's execution errors). */
export function goSyntax(v: Value): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  if (isMap(v))
    return `map[string]interface {}{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSyntax(v[k])}`)
      .join(', ')}}`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function sortDeep(v: Value): Value {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (isMap(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep(v[k])]),
    );
  return v;
}

/** encoding/json: sorted map keys, HTML-safe escapes for <, > and &. */
export function goJson(v: Value, indent?: number): string {
  return JSON.stringify(sortDeep(v), null, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

type Kind = 'int' | 'float' | 'string' | 'bool' | 'invalid';
const kindOf = (v: Value): Kind =>
  typeof v === 'number'
    ? Number.isInteger(v)
      ? 'int'
      : 'float'
    : typeof v === 'string'
      ? 'string'
      : typeof v === 'boolean'
        ? 'bool'
        : 'invalid';

/** text/template's eq/ne/lt/gt/le/ge as client-go's forked template package applies them. */
function compare(left: Value, right: Value, op: string): boolean {
  if (op === '=~') {
    if (typeof left !== 'string' || typeof right !== 'string')
      throw err(
        `regexp search only support string now but getting pattern: ${goSyntax(right)}, data: ${goSyntax(left)}`,
      );
    try {
      return new RegExp(right).test(left);
    } catch (e) {
      throw err(`error parsing regexp: ${(e as Error).message}`);
    }
  }
  const [lk, rk] = [kindOf(left), kindOf(right)];
  if (lk === 'invalid' || rk === 'invalid') throw err('invalid type for comparison');
  if (lk !== rk) throw err('incompatible types for comparison');
  if (op === '==' || op === '!=') return (left === right) === (op === '==');
  if (lk === 'bool') throw err('invalid type for comparison');
  const [l, r] = [left as number | string, right as number | string];
  switch (op) {
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    case '>=':
      return l >= r;
    default:
      throw err(`unrecognized filter operator ${op}`);
  }
}

/** jsonpath.go's JSONPath: the range/end bookkeeping is kept as upstream does it. */
class Executor {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: Node | null = null;
  constructor(private readonly allowMissingKeys: boolean) {}

  findResults(data: Value, nodes: readonly Node[]): Value[][] {
    const cur = [data];
    const full: Value[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as Node;
      const results = this.walk(cur, node);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = node;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length) for (const v of results) full.push(...this.findResults(v, nodes.slice(i + 1)));
        else this.findResults(null, nodes.slice(i + 1));
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++)
          if (nodes[k] === this.lastEndNode) {
            i = k;
            break;
          }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Value[], node: Node): Value[] {
    switch (node.t) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
      case 'float':
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap(children);
      case 'recursive':
        return this.evalRecursive(input);
      case 'union':
        return node.nodes.flatMap((l) => this.evalList(input, l));
      case 'ident':
        if (node.name === 'range') {
          this.beginRange++;
          return input;
        }
        if (node.name === 'end') {
          if (this.inRange > 0) {
            this.endRange++;
            return [];
          }
          throw err('not in range, nothing to end');
        }
        throw err(`unrecognized identifier ${node.name}`);
    }
  }

  private evalList(input: Value[], node: ListNode): Value[] {
    let cur = input;
    for (const n of node.nodes) cur = this.walk(cur, n);
    return cur;
  }

  private evalField(input: Value[], name: string): Value[] {
    if (!input.length) return [];
    const results: Value[] = [];
    for (const v of input) if (isMap(v) && Object.hasOwn(v, name)) results.push(v[name]);
    if (!results.length && !this.allowMissingKeys) throw err(`${name} is not found`);
    return results;
  }

  private evalArray(input: Value[], params: readonly [Param, Param, Param]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v)) throw err(`${goType(v)} is not array or slice`);
      const [p0, p1, p2] = params.map((p) => ({ ...p })) as [Param, Param, Param];
      const len = v.length;
      if (!p0.known) p0.value = 0;
      if (p0.value < 0) p0.value += len;
      if (!p1.known) p1.value = len;
      if (p1.value < 0 || (p1.value === 0 && p1.derived)) p1.value += len;
      if (p1.value === p0.value) return result;
      if (p0.value >= len || p0.value < 0)
        throw err(`array index out of bounds: index ${p0.value}, length ${len}`);
      if (p1.value > len || p1.value < 0)
        throw err(`array index out of bounds: index ${p1.value - 1}, length ${len}`);
      if (p0.value > p1.value)
        throw err(`starting index ${p0.value} is greater than ending index ${p1.value}`);
      let step = 1;
      if (p2.known) {
        if (p2.value <= 0) throw err('step must be > 0');
        step = p2.value;
      }
      const slice = v.slice(p0.value, p1.value);
      for (let i = 0; i < slice.length; i += step) result.push(slice[i]);
    }
    return result;
  }

  private evalRecursive(input: Value[]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      const kids = children(v);
      if (kids.length) result.push(v, ...this.evalRecursive(kids));
    }
    return result;
  }

  private evalFilter(input: Value[], node: Extract<Node, { t: 'filter' }>): Value[] {
    const results: Value[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw err(`${goPlain(v)} is not array or slice and cannot be filtered`);
      for (const item of v) {
        let lefts: Value[] = [];
        let leftErr: unknown = null;
        try {
          lefts = this.evalList([item], node.left);
        } catch (e) {
          leftErr = e;
        }
        if (node.op === 'exists') {
          if (lefts.length) results.push(item);
          continue;
        }
        if (leftErr) throw leftErr;
        if (!lefts.length) continue;
        if (lefts.length > 1) throw err('can only compare one element at a time');
        const rights = this.evalList([item], node.right);
        if (!rights.length) continue;
        if (rights.length > 1) throw err('can only compare one element at a time');
        if (compare(lefts[0], rights[0], node.op)) results.push(item);
      }
    }
    return results;
  }
}

/** evalWildcard's children: map values (in key order), array items, a string's bytes. */
function children(v: Value): Value[] {
  if (Array.isArray(v)) return [...v];
  if (isMap(v)) return sortedValues(v);
  if (typeof v === 'string') return [...new TextEncoder().encode(v)];
  return [];
}

/** PrintResults: maps and arrays as compact JSON, scalars as Go's fmt prints them. */
function printResults(results: readonly Value[], asJson: boolean): string {
  if (asJson) return `${goJson(results, 4)}\n`;
  return results
    .map((r) =>
      typeof r === 'object' && r !== null ? goJson(r) : r === null || r === undefined ? '<nil>' : String(r),
    )
    .join(' ');
}

export interface JsonPathTemplate {
  readonly raw: string;
  readonly root: ListNode;
}

/** Parses a template, or returns kubectl's `error parsing jsonpath …` message. */
export function parseJsonPath(raw: string): JsonPathTemplate | { error: string } {
  try {
    return { raw, root: Parser.parse(raw) };
  } catch (e) {
    if (e instanceof JsonPathError || e instanceof RangeError)
      return { error: `error: error parsing jsonpath ${raw}, ${e.message}` };
    throw e;
  }
}

/**
 * Executes a parsed template against the object kubectl's generic printers see (the JSON of
 * `-o json`). Missing keys print nothing unless allowMissingKeys is false
 * (`--allow-missing-template-keys`, default true). Errors carry cli-runtime's full wording.
 */
export function executeJsonPath(
  tpl: JsonPathTemplate,
  data: Value,
  opts: { readonly allowMissingKeys?: boolean; readonly asJson?: boolean } = {},
): { stdout: string } | { error: string } {
  try {
    const groups = new Executor(opts.allowMissingKeys ?? true).findResults(data, tpl.root.nodes);
    return { stdout: groups.map((g) => printResults(g, opts.asJson === true)).join('') };
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    const buf =
      `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${tpl.raw}\n` +
      `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`;
    return { error: `error: error executing jsonpath ${JSON.stringify(tpl.raw)}: ${buf}` };
  }
}

/** cli-runtime's RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`. */
function relaxed(expr: string): string | { error: string } {
  if (!expr) return expr;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m)
    return {
      error:
        "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    };
  return `{.${m[1] ?? m[2] ?? ''}}`;
}

export interface CustomColumns {
  readonly columns: readonly { readonly header: string; readonly tpl: JsonPathTemplate }[];
}

/** NewCustomColumnsPrinterFromSpec: `HEADER:PATH[,HEADER:PATH…]`. */
export function parseCustomColumns(spec: string): CustomColumns | { error: string } {
  if (!spec) return { error: 'error: custom-columns format specified but no custom columns given' };
  const columns: { header: string; tpl: JsonPathTemplate }[] = [];
  for (const part of spec.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0)
      return { error: `error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>` };
    const path = relaxed(part.slice(colon + 1));
    if (typeof path !== 'string') return path;
    try {
      columns.push({ header: part.slice(0, colon), tpl: { raw: path, root: Parser.parse(path) } });
    } catch (e) {
      if (e instanceof JsonPathError) return { error: `error: ${e.message}` };
      throw e;
    }
  }
  return { columns };
}

/**
 * CustomColumnsPrinter.printOneObject for each object: every column's results joined by commas,
 * `<none>` when a path finds nothing (missing keys are allowed); cells are tab-separated rows.
 */
export function customColumnRows(
  cc: CustomColumns,
  objects: readonly unknown[],
  noHeaders: boolean,
): { rows: string[][] } | { error: string } {
  const rows: string[][] = noHeaders ? [] : [cc.columns.map((c) => c.header)];
  for (const o of objects) {
    const row: string[] = [];
    for (const c of cc.columns) {
      try {
        const values = new Executor(true).findResults(o, c.tpl.root.nodes);
        const cells = values.flatMap((g) => g.map(goPlain));
        row.push(!values.length || !values[0]?.length ? ['<none>', ...cells].join(',') : cells.join(','));
      } catch (e) {
        if (e instanceof JsonPathError) return { error: `error: ${e.message}` };
        throw e;
      }
    }
    rows.push(row);
  }
  return { rows };
}
