import { readFileSync } from 'node:fs';
import type { Service } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FieldError } from './field';
import { defaultService, validateService, validateServiceCreate } from './service';

interface WantError {
  field: string;
  type?: string;
  message: string;
  mustContain?: string[];
}
interface Case {
  id: string;
  manifest: string;
  expect: { rejected: boolean; errors?: WantError[] };
}
const suite = JSON.parse(
  readFileSync(
    new URL('../../../../shared/conformance/cases/service-validation.json', import.meta.url),
    'utf8',
  ),
) as { cases: Case[]; controls: Case[] };

// Not this layer's: the node port range is the allocator's, the name is metadata validation's.
const OTHER_LAYER = new Set(['val-svc-04-nodeport-above-range', 'val-svc-22-service-name-not-dns1035']);

const validate = (manifest: string): FieldError[] => validateServiceCreate(parse(manifest) as Service);
const isService = (c: Case): boolean => /^kind:\s*Service\s*$/m.test(c.manifest);

// As shared/conformance/run.mjs judges service-validation: each expected error is present with the
// same field and type and a message containing every mustContain substring.
describe('service-validation conformance cases (Services)', () => {
  for (const c of [...suite.cases, ...suite.controls].filter(isService)) {
    if (OTHER_LAYER.has(c.id)) {
      it(`${c.id}: belongs to another layer, and is not rejected by spec validation`, () => {
        expect(validate(c.manifest)).toEqual([]);
      });
      continue;
    }
    it(`${c.id}`, () => {
      const errs = validate(c.manifest);
      if (!c.expect.rejected) {
        expect(errs).toEqual([]);
        return;
      }
      for (const w of c.expect.errors ?? []) {
        const hit = errs.find(
          (e) =>
            e.field === w.field &&
            (!w.type || e.type === w.type) &&
            (w.mustContain ?? []).every((s) => e.message.includes(s)),
        );
        expect(hit, `${w.message}\n got: ${errs.map((e) => e.message).join(' | ')}`).toBeDefined();
        // The full upstream message, not just the stable substrings.
        expect(hit?.message).toBe(w.message);
      }
    });
  }
});

const svc = (spec: Service['spec']): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec,
});
const messages = (s: Service): string[] => validateServiceCreate(s).map((e) => e.message);
const port80 = [{ port: 80 }];

describe('defaultService', () => {
  it('[SV1] sessionAffinity None drops sessionAffinityConfig; ClientIP gets 10800 only when missing', () => {
    expect(defaultService(svc({ ports: port80 })).spec?.sessionAffinity).toBe('None');
    expect(
      defaultService(svc({ ports: port80, sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } })).spec
        ?.sessionAffinityConfig,
    ).toBeUndefined();
    expect(
      defaultService(svc({ ports: port80, sessionAffinity: 'ClientIP' })).spec?.sessionAffinityConfig,
    ).toEqual({
      clientIP: { timeoutSeconds: 10800 },
    });
    const zero = svc({
      ports: port80,
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
    });
    expect(defaultService(zero).spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds).toBe(0);
  });

  it('[SV2] protocol TCP and targetPort = port (0 and "" count as unset); named targetPorts stay', () => {
    const d = defaultService(
      svc({ ports: [{ port: 80 }, { port: 81, targetPort: 0 }, { port: 82, targetPort: 'http' }] }),
    );
    expect(d.spec?.ports).toEqual([
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 81, protocol: 'TCP', targetPort: 81 },
      { port: 82, protocol: 'TCP', targetPort: 'http' },
    ]);
  });

  it('[SV3][SV4][SV5] traffic policies and allocateLoadBalancerNodePorts by type', () => {
    const cip = defaultService(svc({ ports: port80 })).spec;
    expect(cip?.type).toBe('ClusterIP');
    expect(cip?.externalTrafficPolicy).toBeUndefined();
    expect(cip?.internalTrafficPolicy).toBe('Cluster');
    expect(cip?.allocateLoadBalancerNodePorts).toBeUndefined();
    const lb = defaultService(svc({ type: 'LoadBalancer', ports: port80 })).spec;
    expect(lb?.externalTrafficPolicy).toBe('Cluster');
    expect(lb?.allocateLoadBalancerNodePorts).toBe(true);
    expect(defaultService(svc({ type: 'NodePort', ports: port80 })).spec?.externalTrafficPolicy).toBe(
      'Cluster',
    );
    const en = defaultService(svc({ type: 'ExternalName', externalName: 'example.com' })).spec;
    expect(en?.internalTrafficPolicy).toBeUndefined();
    expect(en?.ipFamilies).toBeUndefined();
    expect(en?.ipFamilyPolicy).toBeUndefined();
  });

  it('[SV6][SV7] clusterIPs mirrors clusterIP; single-stack IPv4 families; selector-less headless is RequireDualStack', () => {
    const hl = defaultService(svc({ clusterIP: 'None', selector: { app: 'x' } })).spec;
    expect(hl?.clusterIPs).toEqual(['None']);
    expect(hl?.ipFamilies).toEqual(['IPv4']);
    expect(hl?.ipFamilyPolicy).toBe('SingleStack');
    expect(defaultService(svc({ clusterIP: 'None' })).spec?.ipFamilyPolicy).toBe('RequireDualStack');
    expect(defaultService(svc({ ports: port80 })).spec?.clusterIPs).toBeUndefined();
  });

  it('[SV8] returns a new object and leaves the input alone', () => {
    const input = svc({ ports: [{ port: 80 }] });
    const frozen = JSON.stringify(input);
    const out = defaultService(input);
    expect(out).not.toBe(input);
    expect(JSON.stringify(input)).toBe(frozen);
  });
});

describe('validateService', () => {
  it('[SV9] port must be 1-65535', () => {
    expect(messages(svc({ ports: [{ port: 70000, targetPort: 80 }] }))).toContain(
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    );
  });

  it('[SV10] port names: DNS-1123 label, unique', () => {
    const m = messages(
      svc({
        ports: [
          { name: 'Web', port: 80 },
          { name: 'a', port: 81 },
          { name: 'a', port: 82 },
        ],
      }),
    );
    expect(
      m.some((x) => x.startsWith('spec.ports[0].name: Invalid value: "Web": a lowercase RFC 1123 label')),
    ).toBe(true);
    expect(m).toContain('spec.ports[2].name: Duplicate value: "a"');
  });

  it('[SV12] numeric targetPort in range; named targetPort an IANA_SVC_NAME', () => {
    expect(messages(svc({ ports: [{ port: 80, targetPort: 65536 }] }))).toEqual([
      'spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535, inclusive',
    ]);
    expect(messages(svc({ ports: [{ port: 80, targetPort: '8080' }] }))).toEqual([
      'spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)',
    ]);
    expect(messages(svc({ ports: [{ port: 80, targetPort: 'http' }] }))).toEqual([]);
  });

  it('[SV13] selector keys and values are validated as labels', () => {
    expect(messages(svc({ ports: port80, selector: { app: 'bad value' } }))[0]).toMatch(
      /^spec\.selector: Invalid value: "bad value": a valid label must be/,
    );
  });

  it('[SV14] sessionAffinity values; config forbidden with None after defaulting drops it', () => {
    expect(messages(svc({ ports: port80, sessionAffinity: 'Sticky' }))).toContain(
      'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
    );
    const raw = { ...svc({ ports: port80 }) };
    const d = defaultService(raw);
    const withCfg: Service = {
      ...d,
      spec: { ...d.spec, sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } },
    };
    expect(validateService(withCfg).map((e) => e.message)).toEqual([
      'spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None',
    ]);
  });

  it('[SV15] ClientIP timeout: 86400 is valid, 86401 is not', () => {
    const aff = (t: number): Service =>
      svc({
        ports: port80,
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: t } },
      });
    expect(messages(aff(86400))).toEqual([]);
    expect(messages(aff(86401))).toEqual([
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400',
    ]);
  });

  it('[SV16] no ports: only headless or ExternalName', () => {
    expect(messages(svc({ selector: { app: 'x' } }))).toEqual(['spec.ports: Required value']);
    expect(messages(svc({ clusterIP: 'None' }))).toEqual([]);
    expect(messages(svc({ type: 'ExternalName', externalName: 'db.example.com.' }))).toEqual([]);
  });

  it('[SV17] headless NodePort is rejected on clusterIPs[0]', () => {
    expect(messages(svc({ type: 'NodePort', clusterIP: 'None', ports: port80 }))).toContain(
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
    );
  });

  it('[SV18] ExternalName needs a DNS-1123 subdomain and no clusterIP', () => {
    expect(messages(svc({ type: 'ExternalName' }))).toEqual(['spec.externalName: Required value']);
    expect(messages(svc({ type: 'ExternalName', externalName: 'Bad_Name' }))[0]).toMatch(
      /^spec\.externalName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    expect(
      messages(svc({ type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.10' })),
    ).toContain('spec.clusterIPs: Forbidden: may not be set for ExternalName services');
  });

  it('[SV19] unknown type', () => {
    expect(messages(svc({ type: 'Magic', ports: port80 }))).toContain(
      'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    );
  });

  it('[SV20] nodePort is forbidden on ClusterIP Services, allowed on NodePort/LoadBalancer', () => {
    expect(messages(svc({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]);
    expect(messages(svc({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([]);
  });

  it('[SV21] duplicate (protocol, port) and (protocol, nodePort) pairs', () => {
    const m = messages(
      svc({
        type: 'NodePort',
        ports: [
          { name: 'a', port: 80, nodePort: 30001 },
          { name: 'b', port: 80, nodePort: 30001 },
        ],
      }),
    );
    expect(m).toContain('spec.ports[1].nodePort: Duplicate value: 30001');
    expect(
      m.some((x) => x.startsWith('spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP"')),
    ).toBe(true);
  });

  it('[SV22] loadBalancerSourceRanges: only for LoadBalancer, each a CIDR', () => {
    expect(
      messages(
        svc({ type: 'LoadBalancer', ports: port80, loadBalancerSourceRanges: [' 10.0.0.0/8 ', '1.2.3.4'] }),
      ),
    ).toEqual([
      'spec.LoadBalancerSourceRanges[1]: Invalid value: "1.2.3.4": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    expect(messages(svc({ ports: port80, loadBalancerSourceRanges: ['10.0.0.0/8'] }))).toEqual([
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
  });

  it('[SV23] allocateLoadBalancerNodePorts only for LoadBalancer', () => {
    expect(messages(svc({ ports: port80, allocateLoadBalancerNodePorts: false }))).toEqual([
      "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
  });

  it('[SV24] externalTrafficPolicy: only externally accessible Services, Cluster or Local', () => {
    expect(messages(svc({ ports: port80, externalTrafficPolicy: 'Local' }))).toEqual([
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]);
    expect(messages(svc({ type: 'NodePort', ports: port80, externalTrafficPolicy: 'Nearest' }))).toEqual([
      'spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"',
    ]);
    expect(messages(svc({ type: 'NodePort', ports: port80, externalTrafficPolicy: 'Local' }))).toEqual([]);
  });

  it('[SV25] internalTrafficPolicy values', () => {
    expect(messages(svc({ ports: port80, internalTrafficPolicy: 'Zone' }))).toEqual([
      'spec.internalTrafficPolicy: Unsupported value: "Zone": supported values: "Cluster", "Local"',
    ]);
  });

  it('[SV26] clusterIP must be an IP or None', () => {
    expect(messages(svc({ ports: port80, clusterIP: '10.96.0.300' }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    expect(messages(svc({ ports: port80, clusterIP: '10.96.0.10' }))).toEqual([]);
  });
});
