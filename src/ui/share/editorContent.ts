import { useEffect, useState } from 'react';
import { browserStorage } from '../../store/browserStorage';
import { createEditorStore, type EditorStore } from '../../store/editorStore';
import { starterLab } from '../../store/starterLab';
import { selectSlot, useSession } from './sessionContext';

// The page has one editor store, shared by the editor, the terminal (`apply -f editor.yaml`) and
// Share (a link carries the editor's content). It holds the content of the lab slot in use: each
// slot keeps its own, so a link's editor content never replaces the learner's.

let store: EditorStore | null = null;

/** The page's editor store, showing `slot`'s content. */
export function editorStoreFor(slot: string): EditorStore {
  store ??= createEditorStore(starterLab.yaml, browserStorage(), slot);
  store.getState().showSlot(slot);
  return store;
}

/** The editor store, following the page session's slot. */
export function useEditorStore(): EditorStore {
  const slot = useSession(selectSlot);
  const [editor] = useState(() => editorStoreFor(slot));
  useEffect(() => editor.getState().showSlot(slot), [editor, slot]);
  return editor;
}
