import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { root } from './field';
import { defaultPod, defaultPodTemplateSpec, imageTag, validatePod, validatePodTemplateSpec } from './pod';

/** A fuzzing tree over the field names the pod code reads, with arbitrary JSON at the leaves. */
const KEYS = [
  'metadata', 'spec', 'containers', 'initContainers', 'name', 'image', 'ports', 'containerPort', 'hostPort',
  'protocol', 'hostIP', 'hostNetwork', 'dnsPolicy', 'dnsConfig', 'nameservers', 'searches', 'options',
  'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'httpGet', 'tcpSocket', 'exec', 'grpc',
  'port', 'path', 'scheme', 'command', 'lifecycle', 'preStop', 'sleep', 'seconds', 'env', 'volumeMounts',
  'volumes', 'mountPath', 'resources', 'limits', 'requests', 'hostAliases', 'hostnames', 'ip', 'labels',
  'nodeSelector', 'terminationGracePeriodSeconds', 'imagePullPolicy', 'valueFrom', 'fieldRef', 'configMap',
  'successThreshold', 'httpHeaders', 'hostname', 'subdomain', 'template',
]; // prettier-ignore
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ maxDepth: 5 }, fc.anything({ maxDepth: 1 }), tie('obj'), tie('arr')),
  obj: fc.dictionary(fc.constantFrom(...KEYS), tie('tree'), { maxKeys: 6 }),
  arr: fc.array(tie('tree'), { maxLength: 3 }),
}));

const base = (spec: Record<string, unknown>, containers?: unknown[]): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: containers ?? [{ name: 'main', image: 'nginx:1.27' }], ...spec },
  }) as Pod;
/** Defaults then validates, as kube-apiserver does on create. */
const errorsOf = (pod: Pod): string[] => validatePod(defaultPod(pod)).map((e) => e.message);

describe('defaultPod', () => {
  const d = defaultPod(base({}));
  const c = d.spec?.containers[0];

  it('[PD1] pod-spec defaults: restartPolicy, dnsPolicy, grace period, scheduler, securityContext', () => {
    expect(d.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
    });
  });

  it('[PD2] enableServiceLinks defaults to true on Pods but not on templates', () => {
    expect(d.spec?.enableServiceLinks).toBe(true);
    const t = defaultPodTemplateSpec({ spec: { containers: [{ name: 'a', image: 'x' }] } });
    expect(t.spec?.enableServiceLinks).toBeUndefined();
    expect(t.spec?.restartPolicy).toBe('Always');
  });

  it('[PD3] imagePullPolicy follows the tag; termination message defaults', () => {
    expect(c).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    const pull = (image: string): string | undefined =>
      defaultPod(base({}, [{ name: 'a', image }])).spec?.containers[0]?.imagePullPolicy;
    expect(pull('nginx')).toBe('Always');
    expect(pull('nginx:latest')).toBe('Always');
    expect(pull('registry.local:5000/team/app')).toBe('Always');
    expect(pull('registry.local:5000/team/app:v2')).toBe('IfNotPresent');
    expect(pull(`nginx@sha256:${'a'.repeat(64)}`)).toBe('IfNotPresent');
    expect(pull('Not A Valid Image')).toBe('IfNotPresent');
    expect(imageTag('busybox:1.36')).toBe('1.36');
  });

  it('[PD4] container ports default to TCP', () => {
    const p = defaultPod(base({}, [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }]));
    expect(p.spec?.containers[0]?.ports?.[0]?.protocol).toBe('TCP');
  });

  it('[PD5] probe timings and httpGet path/scheme', () => {
    const p = defaultPod(base({}, [{ name: 'a', image: 'x', readinessProbe: { httpGet: { port: 80 } } }]));
    expect(p.spec?.containers[0]?.readinessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('[PD6] with hostNetwork an unset hostPort takes the containerPort (Pods only)', () => {
    const spec = { hostNetwork: true };
    const ctr = [{ name: 'a', image: 'x', ports: [{ containerPort: 8080 }] }];
    expect(defaultPod(base(spec, ctr)).spec?.containers[0]?.ports?.[0]?.hostPort).toBe(8080);
    const t = defaultPodTemplateSpec({ spec: { ...spec, containers: ctr } });
    expect(t.spec?.containers[0]?.ports?.[0]?.hostPort).toBeUndefined();
  });

  it('[PD7] requests default to limits; sourceless volumes become emptyDir; configMap defaultMode 420', () => {
    const p = defaultPod(
      base({ volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'c' } }] }, [
        { name: 'a', image: 'x', resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } } },
      ]),
    );
    expect(p.spec?.containers[0]?.resources?.requests).toEqual({ memory: '64Mi', cpu: '500m' });
    expect(p.spec?.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    ]);
  });

  it('[PD8] defaulting is idempotent and does not mutate its input', () => {
    fc.assert(
      fc.property(tree, (x) => {
        const frozen = JSON.stringify(x);
        const once = defaultPod(x as Pod);
        expect(defaultPod(once)).toEqual(once);
        expect(JSON.stringify(x)).toBe(frozen);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          name: fc.constantFrom('main', 'side'),
          image: fc.constantFrom('nginx', 'nginx:1.27', 'busybox@sha256:' + 'b'.repeat(64)),
          ports: fc.array(
            fc.record({ containerPort: fc.integer({ min: 0, max: 70000 }) }, { requiredKeys: [] }),
          ),
        }),
        fc.boolean(),
        (c, hostNetwork) => {
          const once = defaultPod(base({ hostNetwork }, [c]));
          expect(defaultPod(once)).toEqual(once);
        },
      ),
    );
  });
});

describe('validatePod', () => {
  it('a defaulted simple pod is valid', () => {
    expect(
      errorsOf(base({}, [{ name: 'main', image: 'nginx', ports: [{ name: 'http', containerPort: 80 }] }])),
    ).toEqual([]);
  });

  it('[P1] containers are required', () => {
    expect(errorsOf(base({ containers: [] }))).toEqual(['spec.containers: Required value']);
    expect(errorsOf({ metadata: { name: 'p' } } as Pod)).toEqual(['spec.containers: Required value']);
  });

  it('[P2] container names: required, DNS-1123 label, unique', () => {
    expect(errorsOf(base({}, [{ image: 'x' }]))).toEqual(['spec.containers[0].name: Required value']);
    expect(errorsOf(base({}, [{ name: 'web.app', image: 'x' }]))).toEqual([
      'spec.containers[0].name: Invalid value: "web.app": must not contain dots',
    ]);
    expect(
      errorsOf(
        base({}, [
          { name: 'main', image: 'x' },
          { name: 'main', image: 'y' },
        ]),
      ),
    ).toEqual(['spec.containers[1].name: Duplicate value: "main"']);
  });

  it('[P3] image is required; a Pod image may not have surrounding whitespace', () => {
    expect(errorsOf(base({}, [{ name: 'a' }]))).toEqual(['spec.containers[0].image: Required value']);
    expect(errorsOf(base({}, [{ name: 'a', image: ' nginx' }]))).toEqual([
      'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
    ]);
  });

  it('[P4] container ports: number range, names, per-container uniqueness, protocol', () => {
    const e = errorsOf(
      base({}, [
        {
          name: 'a',
          image: 'x',
          ports: [
            { name: 'http', containerPort: 80 },
            { name: 'http', containerPort: 81 },
            { containerPort: 0 },
            { containerPort: 70000, hostPort: 70001 },
            { name: 'HTTP', containerPort: 82, protocol: 'ICMP' },
          ],
        },
        { name: 'b', image: 'x', ports: [{ name: 'http', containerPort: 80 }] },
      ]),
    );
    expect(e).toEqual([
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
      'spec.containers[0].ports[2].containerPort: Required value',
      'spec.containers[0].ports[3].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[3].hostPort: Invalid value: 70001: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[4].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[4].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.containers[0].ports[4].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });

  it('[P5] the same hostPort/protocol/hostIP twice in a pod is a duplicate', () => {
    expect(
      errorsOf(
        base({}, [
          { name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] },
          {
            name: 'b',
            image: 'x',
            ports: [
              { containerPort: 81, hostPort: 8080 },
              { containerPort: 82, hostPort: 8080, protocol: 'UDP' },
            ],
          },
        ]),
      ),
    ).toEqual(['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']);
  });

  it('[P6] with hostNetwork a Pod hostPort must equal its containerPort', () => {
    expect(
      errorsOf(
        base({ hostNetwork: true }, [
          { name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8081 }] },
        ]),
      ),
    ).toEqual([
      'spec.containers[0].ports[0].hostPort: Invalid value: 8081: must match `containerPort` when `hostNetwork` is true',
    ]);
    expect(
      errorsOf(base({ hostNetwork: true }, [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }])),
    ).toEqual([]);
    // templates may leave it 0
    const t = defaultPodTemplateSpec({
      spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }] },
    });
    expect(validatePodTemplateSpec(t, root('spec').child('template'))).toEqual([]);
  });

  it('[P7] restartPolicy and dnsPolicy supported values', () => {
    expect(errorsOf(base({ restartPolicy: 'Sometimes', dnsPolicy: 'Google' }))).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]);
  });

  it('[P8] dnsConfig: None needs a config and a nameserver; limits and formats', () => {
    expect(errorsOf(base({ dnsPolicy: 'None' }))).toEqual([
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    ]);
    expect(errorsOf(base({ dnsPolicy: 'None', dnsConfig: {} }))).toEqual([
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ]);
    expect(
      errorsOf(
        base({
          dnsConfig: {
            nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns.google'],
            searches: ['svc.cluster.local.', '_tcp.example.com', 'Bad Domain', '.'],
            options: [{ name: 'ndots', value: '2' }, { value: '1' }],
          },
        }),
      ),
    ).toEqual([
      'spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "8.8.8.8", "9.9.9.9", "dns.google"}: must not have more than 3 nameservers',
      'spec.dnsConfig.nameservers[3]: Invalid value: "dns.google": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      "spec.dnsConfig.searches[2]: Invalid value: \"Bad Domain\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')",
      'spec.dnsConfig.options[1]: Required value: must not be empty',
    ]);
  });

  it('[P9] hostname and subdomain are DNS-1123 labels; nodeSelector labels; hostAliases', () => {
    expect(
      errorsOf(
        base({
          hostname: 'db.0',
          subdomain: 'Peers',
          nodeSelector: { 'disk type': 'ssd' },
          hostAliases: [{ ip: '10.0.0.300', hostnames: ['db.local', 'Bad_Host'] }],
        }),
      ),
    ).toEqual([
      "spec.nodeSelector: Invalid value: \"disk type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'spec.hostname: Invalid value: "db.0": must not contain dots',
      "spec.subdomain: Invalid value: \"Peers\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.hostAliases[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      "spec.hostAliases[0].hostnames[1]: Invalid value: \"Bad_Host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });

  it('[P10] probes: exactly one handler, valid ports, thresholds', () => {
    const probeErrors = (probe: Record<string, unknown>, kind = 'readinessProbe'): string[] =>
      errorsOf(base({}, [{ name: 'a', image: 'x', [kind]: probe }]));
    expect(probeErrors({ periodSeconds: 5 })).toEqual([
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
    ]);
    expect(probeErrors({ httpGet: { port: 80 }, tcpSocket: { port: 80 } })).toEqual([
      'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    ]);
    expect(probeErrors({ tcpSocket: { port: 'HTTP' } })).toEqual([
      'spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ]);
    expect(probeErrors({ httpGet: { port: 0, scheme: 'FTP' }, initialDelaySeconds: -1 })).toEqual([
      'spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
      'spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(probeErrors({ exec: { command: [] }, successThreshold: 2 }, 'livenessProbe')).toEqual([
      'spec.containers[0].livenessProbe.exec.command: Required value',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    ]);
    expect(probeErrors({ grpc: { port: 9090 }, terminationGracePeriodSeconds: 5 })).toEqual([
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes',
    ]);
  });

  it('[P11] lifecycle handlers: one handler; sleep within the grace period', () => {
    expect(
      errorsOf(
        base({}, [
          { name: 'a', image: 'x', lifecycle: { preStop: { sleep: { seconds: 40 } }, postStart: {} } },
        ]),
      ),
    ).toEqual([
      'spec.containers[0].lifecycle.postStart: Required value: must specify a handler type',
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)',
    ]);
  });

  it('[P12] undefaulted fields are Required, unknown enum values Unsupported', () => {
    const raw = {
      spec: {
        containers: [
          { name: 'a', image: 'x', imagePullPolicy: 'Sometimes', terminationMessagePolicy: 'Log' },
        ],
      },
    } as Pod;
    expect(validatePod(raw).map((e) => e.message)).toEqual([
      'spec.terminationGracePeriodSeconds: Required value',
      'spec.containers[0].terminationMessagePolicy: Unsupported value: "Log": supported values: "File", "FallbackToLogsOnError"',
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      'spec.restartPolicy: Required value',
      'spec.dnsPolicy: Required value',
    ]);
  });

  it('[P13] env names, volume names and volumeMounts that name a volume', () => {
    expect(
      errorsOf(
        base({ volumes: [{ name: 'data' }, { name: 'data' }] }, [
          {
            name: 'a',
            image: 'x',
            env: [{ name: 'A=B' }, { value: 'x' }],
            volumeMounts: [{ name: 'cache', mountPath: '/c' }],
          },
        ]),
      ),
    ).toEqual([
      'spec.volumes[1].name: Duplicate value: "data"',
      'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      'spec.containers[0].env[1].name: Required value',
      'spec.containers[0].volumeMounts[0].name: Not found: "cache"',
    ]);
  });

  it('[P14] init containers: restartPolicy Always only, names unique across kinds, probes need a sidecar', () => {
    expect(
      errorsOf(
        base({
          initContainers: [
            {
              name: 'main',
              image: 'x',
              restartPolicy: 'OnFailure',
              readinessProbe: { tcpSocket: { port: 80 } },
            },
            {
              name: 'proxy',
              image: 'x',
              restartPolicy: 'Always',
              readinessProbe: { tcpSocket: { port: 80 } },
            },
          ],
        }),
      ),
    ).toEqual([
      'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'spec.initContainers[0].name: Duplicate value: "main"',
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  it('[P15] a template reports its labels at <path>.labels, as upstream', () => {
    const t = defaultPodTemplateSpec({
      metadata: { labels: { 'a b': 'x' } },
      spec: { containers: [{ name: 'a', image: 'x' }] },
    });
    expect(validatePodTemplateSpec(t, root('spec').child('template')).map((e) => e.field)).toEqual([
      'spec.template.labels',
    ]);
  });

  it('[M9] wrong JSON types are reported, never thrown', () => {
    expect(errorsOf(base({}, [{ name: 'a', image: 'x', ports: 'http:80' }]))).toEqual([
      'spec.containers[0].ports: Invalid value: "http:80": must be of type array',
    ]);
    expect(errorsOf(base({}, [{ name: 'a', image: 'x', ports: [{ containerPort: '80' }] }]))).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: "80": must be of type integer',
    ]);
    expect(errorsOf(base({ containers: 'nginx' }))).toEqual([
      'spec.containers: Invalid value: "nginx": must be of type array',
    ]);
    const check = (x: unknown): void => {
      const errs = validatePod(x as Pod).concat(validatePod(defaultPod(x as Pod)));
      expect(Array.isArray(errs)).toBe(true);
      for (const e of errs) expect(e.message.startsWith(`${e.field}: ${e.type}`)).toBe(true);
      validatePodTemplateSpec(x, root('spec').child('template'));
    };
    fc.assert(fc.property(fc.anything(), check));
    fc.assert(fc.property(tree, check), { numRuns: 500 });
  });
});
