import { RECORD_LIMITS, type LabRecord } from './labRecord';

// A shared lab travels in the URL fragment: `#share=<version>.<data>`, where data is the payload's
// JSON compressed with lz-string's URI-safe encoding (https://github.com/pieroxy/lz-string). The
// fragment never reaches a server (RFC 3986 §3.5), so the lab stays between the two browsers.
//
// A link comes from anywhere, so decoding treats it as hostile: it never throws, bounds every size
// before doing work in proportion to it, and returns either a checked payload or one sentence that
// says what is wrong. Nothing in a payload is code: the record replays through the same apply and
// kubectl entry points a learner types into (labRecord.ts), and the UI renders every string as text.
// This module holds the format; ./shareEncode.ts writes a link and ./shareDecode.ts reads one, each
// loaded only when a link is made or opened.

/** The format this build writes. Every older version it has a reader for stays readable. */
export const SHARE_VERSION = 1;
export const SHARE_PREFIX = '#share=';

export const SHARE_LIMITS = {
  /** Characters after `#share=`: about 190 KB of compressed data, far above a hand-built lab. */
  maxEncoded: 250_000,
  /** Characters of JSON a link may decompress to: the record's own text limit plus JSON escaping. */
  maxDecompressed: 2 * RECORD_LIMITS.maxText + 100_000,
  /**
   * Decompressed characters per encoded character. lz-string turns YAML into 3 to 10 times fewer
   * characters, and a lab of a hundred copies of one Deployment into about 40 times fewer; a link
   * that claims far more is built to exhaust memory, not to hold a lab.
   */
  maxRatio: 150,
  /** Allowance on top of the ratio, so a tiny link's fixed overhead never trips it. */
  ratioSlack: 8_192,
} as const;

export interface SharedLesson {
  readonly id: string;
  /** The step as the lesson route numbers it (1-based; past the last step: the quiz). */
  readonly step: number;
}

export interface SharePayload {
  readonly v: number;
  readonly lab: LabRecord;
  /** The lesson and step the learner was on. */
  readonly lesson?: SharedLesson;
  /** What the YAML editor held. */
  readonly editorYaml?: string;
}

export type ShareDecode =
  { readonly ok: true; readonly payload: SharePayload } | { readonly ok: false; readonly error: string };

/** Whether a location hash is a share link (valid or not). */
export const isShareFragment = (hash: string): boolean => hash.startsWith(SHARE_PREFIX);
