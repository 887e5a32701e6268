// Sidecar injection, as the meshes' mutating admission webhooks do it on pod CREATE.
// Istio (https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/): a namespace
// labelled `istio-injection=enabled` gets `istio-proxy` in every new pod; the pod label
// `sidecar.istio.io/inject` overrides it ("false" opts out, "true" opts in where the namespace has
// no label); if either label says disabled/false the pod is not injected. Injection happens only at
// pod creation, so pods that already run keep a single container until they are replaced
// (`kubectl rollout restart`). Pods on the host network are never injected.
// Linkerd (https://linkerd.io/2/features/proxy-injection/): the annotation
// `linkerd.io/inject: enabled` on the pod or its namespace adds `linkerd-proxy`; `disabled` on the
// pod opts out.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../cluster/objects';
import type { ReadonlyStore } from '../cluster/store';

export type MeshName = 'istio' | 'linkerd';

export const ISTIO_PROXY_IMAGE = 'docker.io/istio/proxyv2:1.24.2';
export const LINKERD_PROXY_IMAGE = 'cr.l5d.io/linkerd/proxy:stable-2.14.10';

/** Envoy's outbound capture port and inbound capture port (istio-iptables -p 15001 -z 15006). */
export const ISTIO_OUTBOUND_PORT = 15001;
export const ISTIO_INBOUND_PORT = 15006;
/** linkerd-proxy's outbound and inbound listeners (proxy-init --outgoing-proxy-port / --incoming-proxy-port). */
export const LINKERD_OUTBOUND_PORT = 4140;
export const LINKERD_INBOUND_PORT = 4143;

/** Which mesh's injector mutates a new pod in this namespace, if any. */
export function injectionFor(
  pod: Pod,
  ns: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } } | undefined,
): MeshName | null {
  if (pod.spec?.hostNetwork) return null;
  if (sidecarOf(pod)) return null;
  const podLabel = pod.metadata?.labels?.['sidecar.istio.io/inject'];
  const nsLabel = ns?.metadata?.labels?.['istio-injection'];
  if (podLabel !== 'false' && nsLabel !== 'disabled' && (podLabel === 'true' || nsLabel === 'enabled'))
    return 'istio';
  const podAnn = pod.metadata?.annotations?.['linkerd.io/inject'];
  const nsAnn = ns?.metadata?.annotations?.['linkerd.io/inject'];
  if (podAnn === 'enabled' || (podAnn !== 'disabled' && nsAnn === 'enabled')) return 'linkerd';
  return null;
}

/** The mesh whose proxy runs in the pod, from its containers. */
export function sidecarOf(pod: Pod): MeshName | null {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if (names.includes('istio-proxy')) return 'istio';
  if (names.includes('linkerd-proxy')) return 'linkerd';
  return null;
}

const istioInit: Container = {
  name: 'istio-init',
  image: ISTIO_PROXY_IMAGE,
  args: [
    'istio-iptables',
    '-p',
    '15001',
    '-z',
    '15006',
    '-u',
    '1337',
    '-m',
    'REDIRECT',
    '-i',
    '*',
    '-b',
    '*',
    '-d',
    '15090,15021,15020',
  ],
};
const istioProxy: Container = {
  name: 'istio-proxy',
  image: ISTIO_PROXY_IMAGE,
  args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local'],
  ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
};
const linkerdInit: Container = {
  name: 'linkerd-init',
  image: 'cr.l5d.io/linkerd/proxy-init:v2.2.3',
  args: [
    '--incoming-proxy-port',
    '4143',
    '--outgoing-proxy-port',
    '4140',
    '--proxy-uid',
    '2102',
    '--inbound-ports-to-ignore',
    '4190,4191',
  ],
};
const linkerdProxy: Container = {
  name: 'linkerd-proxy',
  image: LINKERD_PROXY_IMAGE,
  ports: [
    { name: 'linkerd-proxy', containerPort: 4143, protocol: 'TCP' },
    { name: 'linkerd-admin', containerPort: 4191, protocol: 'TCP' },
  ],
};

/** The pod as the injector returns it: proxy and init containers added, the mesh's labels set. */
export function injectSidecar(obj: KubeObject, store: ReadonlyStore): KubeObject {
  const pod = obj as unknown as Pod;
  const ns = store.get('Namespace', undefined, pod.metadata?.namespace ?? 'default') as
    | (KubeObject & { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } })
    | undefined;
  const mesh = injectionFor(pod, ns);
  if (!mesh) return obj;
  const spec = pod.spec ?? { containers: [] };
  const istio = mesh === 'istio';
  const app = pod.metadata?.labels?.app ?? pod.metadata?.name ?? '';
  const out: Pod = {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: istio
        ? {
            ...(pod.metadata?.labels ?? {}),
            // Auto mTLS: client sidecars send mTLS to endpoints carrying this label.
            'security.istio.io/tlsMode': 'istio',
            'service.istio.io/canonical-name': app,
          }
        : { ...(pod.metadata?.labels ?? {}), 'linkerd.io/proxy-deployment': app },
      annotations: {
        ...(pod.metadata?.annotations ?? {}),
        ...(istio
          ? {
              'kubectl.kubernetes.io/default-container': spec.containers[0]?.name ?? '',
              'sidecar.istio.io/status':
                '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"]}',
            }
          : { 'linkerd.io/proxy-version': LINKERD_PROXY_IMAGE.split(':')[1] ?? '' }),
      },
    },
    spec: {
      ...spec,
      initContainers: [...(spec.initContainers ?? []), istio ? istioInit : linkerdInit],
      // linkerd-proxy is injected first so it starts before the application (proxy-await).
      containers: istio ? [...spec.containers, istioProxy] : [linkerdProxy, ...spec.containers],
    },
  };
  return out as unknown as KubeObject;
}
