import fc from 'fast-check';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import { describe, expect, it } from 'vitest';
import {
  defaultDeployment,
  defaultReplicaSet,
  goLabelSelector,
  validateDeployment,
  validateReplicaSet,
} from './deployment';

const deploy = (spec: Record<string, unknown>): Deployment =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
      ...spec,
    },
  }) as Deployment;
const errorsOf = (d: Deployment): string[] => validateDeployment(defaultDeployment(d)).map((e) => e.message);

const KEYS = [
  'spec', 'replicas', 'selector', 'matchLabels', 'matchExpressions', 'key', 'operator', 'values', 'template',
  'metadata', 'labels', 'containers', 'name', 'image', 'ports', 'containerPort', 'strategy', 'type',
  'rollingUpdate', 'maxSurge', 'maxUnavailable', 'restartPolicy', 'minReadySeconds', 'progressDeadlineSeconds',
  'revisionHistoryLimit', 'activeDeadlineSeconds',
]; // prettier-ignore
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ maxDepth: 5 }, fc.anything({ maxDepth: 1 }), tie('obj'), tie('arr')),
  obj: fc.dictionary(fc.constantFrom(...KEYS), tie('tree'), { maxKeys: 6 }),
  arr: fc.array(tie('tree'), { maxLength: 3 }),
}));

describe('defaultDeployment', () => {
  it('[D1] replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, template defaults', () => {
    const d = defaultDeployment(deploy({}));
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec?.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
    expect(d.spec?.template.spec?.containers[0]?.imagePullPolicy).toBe('Always');
    expect(d.spec?.template.spec?.enableServiceLinks).toBeUndefined();
    const recreate = defaultDeployment(deploy({ strategy: { type: 'Recreate' } }));
    expect(recreate.spec?.strategy).toEqual({ type: 'Recreate' });
  });

  it('[D1] defaulting is idempotent and never throws', () => {
    fc.assert(
      fc.property(tree, (x) => {
        const once = defaultDeployment(x as Deployment);
        expect(defaultDeployment(once)).toEqual(once);
        const rs = defaultReplicaSet(x as ReplicaSet);
        expect(defaultReplicaSet(rs)).toEqual(rs);
      }),
    );
  });
});

describe('validateDeployment', () => {
  it('a defaulted deployment is valid', () => {
    expect(errorsOf(deploy({}))).toEqual([]);
  });

  it('[D2] selector is required; a missing selector matches no template', () => {
    expect(errorsOf(deploy({ selector: undefined }))).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('[D2] an empty selector is invalid (Go struct in the message)', () => {
    expect(errorsOf(deploy({ selector: {} }))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
  });

  it('[D3] the selector must match the template labels', () => {
    expect(errorsOf(deploy({ selector: { matchLabels: { app: 'web', tier: 'fe' } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(
      errorsOf(
        deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } }),
      ),
    ).toEqual([]);
  });

  it('[D4] a selector that does not convert is "invalid label selector" and the template is skipped', () => {
    expect(
      errorsOf(
        deploy({
          selector: { matchExpressions: [{ key: 'app', operator: 'In' }] },
          template: { metadata: { labels: { other: 'x' } }, spec: { containers: [] } },
        }),
      ),
    ).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string(nil)}}}: invalid label selector',
    ]);
  });

  it('[D5] the template is a pod template with restartPolicy Always only', () => {
    const withSpec = (spec: Record<string, unknown>): Deployment =>
      deploy({
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }], ...spec },
        },
      });
    expect(errorsOf(withSpec({ restartPolicy: 'Never' }))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
    expect(errorsOf(withSpec({ activeDeadlineSeconds: 60 }))).toEqual([
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
    expect(
      errorsOf(withSpec({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 0 }] }] })),
    ).toEqual(['spec.template.spec.containers[0].ports[0].containerPort: Required value']);
    expect(errorsOf(deploy({ template: { metadata: { labels: { app: 'web' } } } }))).toEqual([
      'spec.template.spec.containers: Required value',
    ]);
  });

  it('[D6] counts are non-negative; progressDeadlineSeconds must exceed minReadySeconds', () => {
    expect(
      errorsOf(
        deploy({ replicas: -1, minReadySeconds: 30, progressDeadlineSeconds: 30, revisionHistoryLimit: -2 }),
      ),
    ).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
      'spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds',
    ]);
  });

  it('[D7] strategy: known types, rollingUpdate only with RollingUpdate, sane surge/unavailable', () => {
    expect(errorsOf(deploy({ strategy: { type: 'Blue' } }))).toEqual([
      'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Blue", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ]);
    expect(errorsOf(deploy({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }))).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    expect(errorsOf(deploy({ strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    expect(
      errorsOf(deploy({ strategy: { rollingUpdate: { maxUnavailable: '150%', maxSurge: 'lots' } } })),
    ).toEqual([
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: lots: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%',
    ]);
  });

  it('[D8] ReplicaSets: replicas default 1, same selector/template rules (message says "deployment")', () => {
    const rs = defaultReplicaSet({
      metadata: { name: 'web-1' },
      spec: { selector: {}, template: {} },
    } as ReplicaSet);
    expect(rs.spec?.replicas).toBe(1);
    expect(validateReplicaSet(rs).map((e) => e.message)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
      'spec.template.spec.containers: Required value',
    ]);
  });

  it('goLabelSelector prints Go %#v', () => {
    expect(goLabelSelector({ matchLabels: {} })).toBe(
      'v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}',
    );
  });

  it('[M9] wrong JSON types are reported, never thrown', () => {
    expect(errorsOf(deploy({ replicas: '3' }))).toEqual([
      'spec.replicas: Invalid value: "3": must be of type integer',
    ]);
    expect(errorsOf(deploy({ selector: { matchLabels: 'app=web' } }))).toEqual([
      'spec.selector.matchLabels: Invalid value: "app=web": must be of type object',
    ]);
    const check = (x: unknown): void => {
      for (const errs of [
        validateDeployment(x as Deployment),
        validateDeployment(defaultDeployment(x as Deployment)),
        validateReplicaSet(x as ReplicaSet),
        validateReplicaSet(defaultReplicaSet(x as ReplicaSet)),
      ])
        for (const e of errs) expect(e.message.startsWith(`${e.field}: ${e.type}`)).toBe(true);
    };
    fc.assert(fc.property(fc.anything(), check));
    fc.assert(fc.property(tree, check), { numRuns: 500 });
  });
});
