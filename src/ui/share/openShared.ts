import type { Booted } from '../../store/boot';
import { lessonSlot } from '../../store/labLibrary';
import { isShareFragment } from '../../store/share';
import { openLesson } from '../lessons/session';

/**
 * After the page booted: a consumed `#share=` fragment leaves the URL (a reload then restores the
 * shared lab from its slot instead of opening the link again), and a link made on a lesson opens
 * that lesson on the shared cluster — unless the learner has their own lab for that lesson, which a
 * link never replaces: then the shared lab stays open and a notice says where the lesson is.
 */
export function settleSharedLink(booted: Booted): void {
  reloadOnShareLink();
  if (!booted.openedLink) return;
  const lesson = booted.lesson;
  const own = lesson ? booted.library.load(lessonSlot(lesson.id)) : null;
  if (lesson && own?.ok && own.record === null) {
    openLesson(lesson.id, lesson.step, { keepCluster: true, replace: true });
    return;
  }
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  if (lesson)
    booted.session
      .getState()
      .notify(
        'info',
        `This link was made on step ${lesson.step} of the lesson "${lesson.id}". You have your own lab for that lesson, so the link opened as a separate lab; open the lesson from the Lessons tab to go on with yours.`,
      );
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
