// A manifest as the API server receives it: the text already split into documents and decoded
// (kubectl's side), each document keeping where its fields stand so that an error can name a line.

export interface ParsedDocument {
  /** 0-based index among the non-empty documents. */
  readonly index: number;
  readonly value: unknown;
  /** 1-based line where the document starts. */
  readonly line: number;
  /** 1-based line of the deepest existing node on a field path such as `spec.ports[0].port`. */
  lineOf(field: string): number;
  /**
   * The fields the kind's Go types do not declare, found while decoding (`spec.policyTypse`), which
   * the API server's strict decoder refuses ([SD1]); null for a kind the lab has no schema for.
   */
  readonly unknownFields: readonly string[] | null;
}

export interface YamlSyntaxError {
  readonly index: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface Manifest {
  readonly docs: readonly ParsedDocument[];
  readonly errors: readonly YamlSyntaxError[];
}
