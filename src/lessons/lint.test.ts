import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { formatProblem, lintLesson, lintLessons } from './lint';
import { readLessonFolders } from './node';

const LESSON = `
id: 99-test
title: Test
summary: A lesson for the linter's tests.
order: 99
cluster: { cni: calico }
steps:
  - title: One
    text: one.md
    prediction: { question: Q?, choices: [a, b], answer: a, explanation: Because. }
    task:
      goal: Do it.
      checks:
        - exists: { kind: Pod, name: p }
      hints: [Try.]
      solution: { yaml: p.yaml }
quiz:
  - { question: Q1?, choices: [a, b], answer: a, explanation: E1 }
  - { question: Q2?, choices: [a, b], answer: b, explanation: E2 }
  - { question: Q3?, choices: [a, b], answer: a, explanation: E3 }
`;
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n';
const good = (): Record<string, string> => ({
  'lesson.yaml': LESSON,
  'cluster.yaml': '',
  'one.md': '# One',
  'p.yaml': POD,
});
const lint = (files: Record<string, string>) =>
  lintLesson('99-test', files).problems.map((p) => formatProblem(p));

describe('lesson linter', () => {
  it('[LF0] every lesson in lessons/ lints clean', () => {
    const { lessons, problems } = lintLessons(readLessonFolders(resolve(__dirname, '../../lessons')));
    expect(problems.map(formatProblem)).toEqual([]);
    expect(lessons.map((l) => l.lesson.id)).toContain('08-hands-on');
  });

  it('[LF0] a minimal lesson is clean', () => {
    expect(lint({ ...good(), 'cluster.yaml': POD.replace('name: p', 'name: q') })).toEqual([]);
  });

  it('[LF1] missing lesson.yaml, step text, solution file and cluster.yaml are reported', () => {
    expect(lint({})).toEqual(['lessons/lesson.yaml: missing']);
    const files = good();
    delete files['one.md'];
    delete files['p.yaml'];
    delete files['cluster.yaml'];
    expect(lint(files)).toEqual([
      'lessons/cluster.yaml (cluster.yaml): missing (the starting manifests)',
      'lessons/one.md (steps[0].text): missing (the step text named in lesson.yaml at steps[0].text)',
      'lessons/p.yaml (steps[0].task.solution.yaml): missing (the solution named in lesson.yaml at steps[0].task.solution.yaml)',
    ]);
  });

  it('[LF2] unknown check types and unknown fields are errors, with the known ones listed', () => {
    const out = lint({
      ...good(),
      'lesson.yaml': LESSON.replace('- exists:', '- exist:').replace(
        'goal: Do it.',
        'goal: Do it.\n      gaol: x',
      ),
    });
    expect(out).toContain(
      'lessons/lesson.yaml (steps[0].task.gaol): unknown field (allowed: goal, checks, hints, solution)',
    );
    expect(
      out.some((l) =>
        l.includes(
          '(steps[0].task.checks[0].exist): unknown check type "exist" (known: connect, serviceReady',
        ),
      ),
    ).toBe(true);
  });

  it('[LF3] check parameters are validated', () => {
    const bad = LESSON.replace(
      '- exists: { kind: Pod, name: p }',
      `- connect: { from: client, to: web, expect: arrived }\n        - cni: canal`,
    );
    expect(lint({ ...good(), 'lesson.yaml': bad })).toEqual([
      'lessons/lesson.yaml (steps[0].task.checks[0].connect.from): "client" is not a pod reference (namespace/name, external or node:<name>, or {selector, namespace})',
      'lessons/lesson.yaml (steps[0].task.checks[0].connect.port): required (or give it in to, as web:80)',
      'lessons/lesson.yaml (steps[0].task.checks[0].connect.expect): must be one of delivered, blocked, refused, nxdomain, reset',
      'lessons/lesson.yaml (steps[0].task.checks[1].cni): must be one of flannel, calico, cilium, weave',
    ]);
  });

  it('[LF4] a prediction or quiz answer must be one of its choices', () => {
    expect(
      lint({
        ...good(),
        'lesson.yaml': LESSON.replace(
          'choices: [a, b], answer: a, explanation: Because.',
          'choices: [a, b], answer: c, explanation: Because.',
        ),
      }),
    ).toEqual(['lessons/lesson.yaml (steps[0].prediction.answer): "c" is not one of the choices']);
  });

  it('[LF5] quiz questions need explanations, and a lesson needs three of them', () => {
    const out = lint({
      ...good(),
      'lesson.yaml': LESSON.replace(', explanation: E2', '').replace(/ {2}- \{ question: Q3\?.*\n/, ''),
    });
    expect(out).toEqual(['lessons/lesson.yaml (quiz[1].explanation): required']);
    const two = lint({ ...good(), 'lesson.yaml': LESSON.replace(/ {2}- \{ question: Q3\?.*\n/, '') });
    expect(two).toEqual(['lessons/lesson.yaml (quiz): needs at least 3 questions, has 2']);
  });

  it('[LF6] cluster.yaml must parse and the API server must accept every object', () => {
    expect(lint({ ...good(), 'cluster.yaml': 'kind: [' })[0]).toMatch(
      /^lessons\/cluster\.yaml: YAML does not parse/,
    );
    const rejected = lint({
      ...good(),
      'cluster.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 0}]}\n',
    });
    expect(rejected).toEqual([
      'lessons/cluster.yaml (document 0, line 4): the API server rejects it: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'lessons/cluster.yaml (document 0, line 4): the API server rejects it: spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  it('[LF7] the id must match the folder; orders are unique across lessons', () => {
    expect(lintLesson('98-other', good()).problems.map((p) => p.message)).toEqual([
      '"99-test" must equal the folder name "98-other"',
    ]);
    const other = { ...good(), 'lesson.yaml': LESSON.replace('id: 99-test', 'id: 98-other') };
    const r = lintLessons({ '99-test': good(), '98-other': other });
    expect(r.problems.map((p) => formatProblem(p))).toEqual([
      'lessons/99-test/lesson.yaml (order): order 99 is also used by 98-other',
    ]);
  });

  it('[LF8] a lesson needs a prediction and a task', () => {
    const bare = LESSON.replace(/ {4}prediction:.*\n/, '').replace(
      / {4}task:[\s\S]*?solution: \{ yaml: p.yaml \}\n/,
      '',
    );
    expect(lint({ ...good(), 'lesson.yaml': bare })).toEqual([
      'lessons/lesson.yaml (steps): needs at least one prediction',
      'lessons/lesson.yaml (steps): needs at least one task',
    ]);
  });
});
