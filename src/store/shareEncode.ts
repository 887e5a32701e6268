// Writing a share link: lz-string's compressor, loaded when the learner shares (the page reads links
// with its own bounded decompressor in ./share.ts, so opening one does not load this module).
import { compressToEncodedURIComponent } from 'lz-string';
import type { LabRecord } from './labRecord';
import { SHARE_PREFIX, SHARE_VERSION, type SharedLesson, type SharePayload } from './share';

/** `lab`, plus the lesson and editor content when given, as a fragment starting `#share=`. */
export function encodeShareLink(
  lab: LabRecord,
  extra: { readonly lesson?: SharedLesson | null; readonly editorYaml?: string | null } = {},
): string {
  const payload: SharePayload = {
    v: SHARE_VERSION,
    lab,
    ...(extra.lesson ? { lesson: extra.lesson } : {}),
    ...(typeof extra.editorYaml === 'string' ? { editorYaml: extra.editorYaml } : {}),
  };
  return `${SHARE_PREFIX}${SHARE_VERSION}.${compressToEncodedURIComponent(JSON.stringify(payload))}`;
}
