// Reading a share link (the format is in ./share.ts): a bounded decompressor of lz-string's URI-safe
// encoding, then one reader per format version. Loaded when the page opens with a link.
import { checkLabRecord, RECORD_LIMITS } from './labRecord';
import { SHARE_LIMITS, SHARE_PREFIX, SHARE_VERSION, type ShareDecode, type SharedLesson } from './share';

// lz-string's URI-safe alphabet (libs/lz-string.js, keyStrUriSafe); 6 bits per character.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export type Inflated =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'truncated' | 'corrupt' | 'too-large' };

/**
 * lz-string's decompressFromEncodedURIComponent, stopping as soon as the output would pass
 * `maxOutput` characters. The library's own decoder builds the whole output first, and an
 * LZW stream's output can grow with the square of its length (each code may name an entry one
 * character longer than the last), so a 100 KB link could ask for gigabytes before any check ran.
 * This follows libs/lz-string.js `_decompress` (v1.5.0) code for code; unit tests compare the two
 * on random input.
 */
export function inflate(input: string, maxOutput: number): Inflated {
  const data = input.replace(/ /g, '+');
  let index = 0;
  let value = 0;
  let position = 0;
  /** Reads `n` bits, least significant first, as `_decompress`'s inner loop does; null at the end. */
  const read = (n: number): number | null => {
    let bits = 0;
    for (let power = 1, i = 0; i < n; i++, power *= 2) {
      if (position === 0) {
        if (index >= data.length) return null;
        value = VALUE.get(data[index++] as string) ?? -1;
        if (value < 0) return -1;
        position = 32;
      }
      if (value & position) bits += power;
      position >>= 1;
    }
    return bits;
  };

  const dictionary: string[] = ['', '', ''];
  let enlargeIn = 4;
  let numBits = 3;
  const out: string[] = [];
  const first = read(2);
  if (first === null) return { ok: false, reason: 'truncated' };
  if (first === 2) return { ok: true, text: '' };
  if (first !== 0 && first !== 1) return { ok: false, reason: 'corrupt' };
  const c0 = read(first === 0 ? 8 : 16);
  if (c0 === null) return { ok: false, reason: 'truncated' };
  if (c0 < 0) return { ok: false, reason: 'corrupt' };
  let w = String.fromCharCode(c0);
  dictionary.push(w);
  out.push(w);
  let size = 1;
  for (;;) {
    let code = read(numBits);
    if (code === null) return { ok: false, reason: 'truncated' };
    if (code < 0) return { ok: false, reason: 'corrupt' };
    if (code === 0 || code === 1) {
      const ch = read(code === 0 ? 8 : 16);
      if (ch === null) return { ok: false, reason: 'truncated' };
      if (ch < 0) return { ok: false, reason: 'corrupt' };
      dictionary.push(String.fromCharCode(ch));
      code = dictionary.length - 1;
      if (--enlargeIn === 0) {
        enlargeIn = 2 ** numBits;
        numBits++;
      }
    } else if (code === 2) {
      return { ok: true, text: out.join('') };
    }
    let entry: string;
    if (code < dictionary.length && code >= 3) entry = dictionary[code] as string;
    else if (code === dictionary.length) entry = w + w.charAt(0);
    else return { ok: false, reason: 'corrupt' };
    size += entry.length;
    if (size > maxOutput) return { ok: false, reason: 'too-large' };
    out.push(entry);
    dictionary.push(w + entry.charAt(0));
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    w = entry;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const LESSON_ID = /^[a-z0-9]([-a-z0-9]{0,62})$/;
const MAX_STEP = 999;

const fail = (error: string): ShareDecode => ({ ok: false, error });
const DAMAGED =
  'This share link is damaged: part of it is missing or was changed. Ask for the link again, and copy all of it.';

/** Reads version 1: `{v: 1, lab, lesson?, editorYaml?}`. */
function readV1(value: unknown): ShareDecode {
  if (!isObject(value)) return fail(DAMAGED);
  for (const key of Object.keys(value))
    if (!['v', 'lab', 'lesson', 'editorYaml'].includes(key))
      return fail(
        `This share link holds a field the lab does not know (${JSON.stringify(key.slice(0, 40))}).`,
      );
  const checked = checkLabRecord(value.lab);
  if (!checked.ok) return fail(`This share link does not hold a valid lab: ${checked.error}.`);
  let lesson: SharedLesson | undefined;
  if (value.lesson !== undefined) {
    const l = value.lesson;
    if (
      !isObject(l) ||
      typeof l.id !== 'string' ||
      !LESSON_ID.test(l.id) ||
      !Number.isInteger(l.step) ||
      (l.step as number) < 0 ||
      (l.step as number) > MAX_STEP
    )
      return fail('This share link names a lesson that is not valid (a lesson id and a step number).');
    lesson = { id: l.id, step: l.step as number };
  }
  const editorYaml = value.editorYaml;
  if (
    editorYaml !== undefined &&
    (typeof editorYaml !== 'string' || editorYaml.length > RECORD_LIMITS.maxText)
  )
    return fail("This share link's editor content is not valid text within the size limit.");
  return {
    ok: true,
    payload: {
      v: 1,
      lab: checked.record,
      ...(lesson ? { lesson } : {}),
      ...(typeof editorYaml === 'string' ? { editorYaml } : {}),
    },
  };
}

/** One reader per format version ever written; a new format adds a reader and keeps the old ones. */
const READERS: Readonly<Record<number, (value: unknown) => ShareDecode>> = { 1: readV1 };

/** Decodes a location hash (`#share=…`) or the part after `#share=`. Never throws. */
export function decodeShareLink(fragment: string): ShareDecode {
  try {
    return decode(fragment);
  } catch {
    // Every path above returns; this is the promise that a link can never break the page.
    return fail(DAMAGED);
  }
}

function decode(fragment: string): ShareDecode {
  const body = fragment.startsWith(SHARE_PREFIX)
    ? fragment.slice(SHARE_PREFIX.length)
    : fragment.startsWith('share=')
      ? fragment.slice('share='.length)
      : fragment;
  if (body.length > SHARE_LIMITS.maxEncoded)
    return fail(
      `This share link is too long (${body.length} characters; the lab opens links of up to ${SHARE_LIMITS.maxEncoded}).`,
    );
  const dot = body.indexOf('.');
  if (dot < 0) return fail(body.length === 0 ? 'This share link is empty.' : DAMAGED);
  const versionText = body.slice(0, dot);
  if (!/^\d{1,6}$/.test(versionText))
    // The link's own text is shown as JSON: quotes, newlines and controls stay visible escapes.
    return fail(
      `This share link has no format version the lab can read (${JSON.stringify(versionText.slice(0, 12))}).`,
    );
  const version = Number(versionText);
  if (version > SHARE_VERSION)
    return fail(
      `This share link was made by a newer version of the lab (format ${version}; this page reads up to ${SHARE_VERSION}). Reload the page to get the latest version, then open the link again.`,
    );
  const reader = READERS[version];
  if (!reader) return fail(`This share link's format (${version}) is not one the lab can read.`);

  const data = body.slice(dot + 1);
  if (data.length === 0) return fail(DAMAGED);
  const cap = Math.min(
    SHARE_LIMITS.maxDecompressed,
    data.length * SHARE_LIMITS.maxRatio + SHARE_LIMITS.ratioSlack,
  );
  const inflated = inflate(data, cap);
  if (!inflated.ok)
    return fail(
      inflated.reason === 'too-large'
        ? 'This share link unpacks to far more than a lab holds, so the lab did not open it.'
        : DAMAGED,
    );
  let value: unknown;
  try {
    value = JSON.parse(inflated.text);
  } catch {
    return fail(DAMAGED);
  }
  if (isObject(value) && value.v !== version) return fail(DAMAGED);
  return reader(value);
}
