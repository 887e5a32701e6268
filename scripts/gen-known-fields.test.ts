import { describe, expect, it } from 'vitest';
import { KNOWN_FIELDS } from '../src/engine/api/knownFields';
import { generateKnownFields } from './gen-known-fields';

describe('known-field tree for strict decoding', () => {
  it('the committed tree is what the generator makes (run `npx tsx scripts/gen-known-fields.ts`)', () => {
    expect(KNOWN_FIELDS).toEqual(generateKnownFields());
  }, 30_000);
});
