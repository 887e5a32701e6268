// Field paths and field errors as k8s.io/apimachinery/pkg/util/validation/field renders them:
//   "<path>: <Type phrase>[: <Go %#v of the bad value>][: <detail>]"
// https://github.com/kubernetes/apimachinery/blob/master/pkg/util/validation/field/errors.go

export type FieldErrorType =
  | 'Required value'
  | 'Invalid value'
  | 'Unsupported value'
  | 'Duplicate value'
  | 'Forbidden'
  | 'Not found'
  | 'Too long'
  | 'Too many';

export interface FieldError {
  readonly field: string;
  readonly type: FieldErrorType;
  readonly message: string;
}

/** An immutable field path: `root('spec').child('ports').index(0)` renders `spec.ports[0]`. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(name: string): FieldPath {
    return new FieldPath(name);
  }
  child(name: string, ...more: string[]): FieldPath {
    let p: FieldPath = new FieldPath(this.text ? `${this.text}.${name}` : name);
    for (const m of more) p = p.child(m);
    return p;
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}

export const root = (name: string): FieldPath => FieldPath.root(name);

/** Go's %#v for the values the API server reports: strings quoted, numbers and booleans bare. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[]string{${v.map(goValue).join(', ')}}`;
  return JSON.stringify(v);
}

function make(path: FieldPath, type: FieldErrorType, body: string): FieldError {
  const field = path.toString();
  return { field, type, message: `${field}: ${body}` };
}
const withDetail = (s: string, detail?: string): string => (detail ? `${s}: ${detail}` : s);

export const required = (path: FieldPath, detail?: string): FieldError =>
  make(path, 'Required value', withDetail('Required value', detail));

export const forbidden = (path: FieldPath, detail?: string): FieldError =>
  make(path, 'Forbidden', withDetail('Forbidden', detail));

export const invalid = (path: FieldPath, value: unknown, detail?: string): FieldError =>
  make(path, 'Invalid value', withDetail(`Invalid value: ${goValue(value)}`, detail));

export const duplicate = (path: FieldPath, value: unknown): FieldError =>
  make(path, 'Duplicate value', `Duplicate value: ${goValue(value)}`);

export const notFound = (path: FieldPath, value: unknown): FieldError =>
  make(path, 'Not found', `Not found: ${goValue(value)}`);

export const tooLong = (path: FieldPath, maxLength: number): FieldError =>
  make(path, 'Too long', `Too long: must have at most ${maxLength} bytes`);

/** `Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"` */
export const notSupported = (path: FieldPath, value: unknown, valid: readonly string[]): FieldError =>
  make(
    path,
    'Unsupported value',
    withDetail(
      `Unsupported value: ${goValue(value)}`,
      valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : undefined,
    ),
  );
