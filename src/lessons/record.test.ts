import { describe, expect, it } from 'vitest';
import { replayLab } from '../store/labRecord';
import { lintLessons, startingEngine } from './lint';
import { readLessonFolders } from './node';
import { lessonRecord } from './record';

describe('a lesson as a lab record', () => {
  const { lessons } = lintLessons(readLessonFolders('lessons'));

  it('builds the same starting cluster the linter and the replay tests build', () => {
    expect(lessons.length).toBeGreaterThan(0);
    for (const bundle of lessons) {
      const fromRecord = replayLab(lessonRecord(bundle)).engine.snapshot();
      const fromLint = startingEngine(bundle).engine.snapshot();
      expect(fromRecord.settings, bundle.lesson.id).toEqual(fromLint.settings);
      expect(
        fromRecord.pods.map((p) => [p.metadata?.name, p.status?.podIP]),
        bundle.lesson.id,
      ).toEqual(fromLint.pods.map((p) => [p.metadata?.name, p.status?.podIP]));
    }
  });

  it('is JSON: it survives a save and a load unchanged', () => {
    for (const bundle of lessons) {
      const record = lessonRecord(bundle);
      expect(JSON.parse(JSON.stringify(record))).toEqual(record);
      expect(record.ops).toEqual([]);
    }
  });
});
