import type { Booted } from '../../store/boot';
import { SHARED_SLOT } from '../../store/labLibrary';
import { isShareFragment } from '../../store/share';
import { lessonStore, openLesson } from '../lessons/session';
import { editorStoreFor } from './editorContent';

/**
 * After the page booted: a consumed `#share=` fragment leaves the URL (a reload then restores the
 * shared lab from its slot instead of opening the link again). A lab that opened brings its editor
 * content into the shared lab's editor, and a link made on a lesson opens that lesson at its step
 * over the shared lab — the learner's own labs, editor content and lesson progress stay as they were.
 */
export function settleSharedLink(booted: Booted): void {
  reloadOnShareLink();
  if (!booted.openedLink) return;
  if (booted.sharedOpened) {
    const editor = editorStoreFor(SHARED_SLOT);
    editor.getState().setYaml(booted.editorYaml ?? editor.getState().initialYaml);
    // A new shared lab: progress on the previous one is gone with it.
    lessonStore.getState().openShared(booted.lesson?.id ?? null);
    if (booted.lesson) {
      openLesson(booted.lesson.id, booted.lesson.step, { keepCluster: true, replace: true });
      return;
    }
  }
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

/**
 * A share link pasted into the address bar of the open lab changes only the hash; the page reloads
 * so it opens like any link (the lab in use was saved as it changed, so nothing is lost).
 */
export function reloadOnShareLink(): void {
  window.addEventListener('hashchange', () => {
    if (isShareFragment(location.hash)) location.reload();
  });
}
