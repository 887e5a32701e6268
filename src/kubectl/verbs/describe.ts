// kubectl describe (staging/src/k8s.io/kubectl/pkg/describe/describe.go): "Field:\tvalue" lines
// through a tabwriter (minwidth 0, padding 2), labels one per line, and the Events table.
import type { Node, Pod, Service, Endpoints } from 'kubernetes-types/core/v1';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type {
  Ingress,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from 'kubernetes-types/networking/v1';
import {
  formatSelector,
  fromRfc3339,
  humanDuration,
  podTemplateHash,
  type Engine,
  type KubeObject,
} from '../../engine';
import { formatEndpoints, podStatus } from '../printers';
import { getObject, listObjects, notFound } from '../resources';
import { tabwrite, DESCRIBE_TABS } from '../tabwriter';
import { fail, type KubectlOutput, type Verb, type VerbArgs } from '../types';
import { parseResourceArgs } from './get';
import { parseSelector } from '../selector';
import { matchesSelector } from '../../engine';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** time.RFC1123Z, as describe prints Start Time / CreationTimestamp. */
export function rfc1123z(ts: string | undefined): string {
  if (!ts) return '<unknown>';
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

type W = { line(level: number, text: string): void; text(): string };
function writer(): W {
  const lines: string[] = [];
  return {
    line: (level, text) => lines.push(`${'  '.repeat(level)}${text}`),
    text: () => tabwrite(lines.map((l) => `${l}\n`).join(''), DESCRIBE_TABS),
  };
}

function labelsLines(w: W, title: string, m: Record<string, string> | undefined): void {
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) return w.line(0, `${title}:\t<none>`);
  keys.forEach((k, i) => w.line(0, `${i === 0 ? `${title}:` : ''}\t${k}=${m?.[k] ?? ''}`));
}

function eventsLines(w: W, engine: Engine, kind: string, ns: string | undefined, name: string): void {
  const evs = engine.cluster.events.filter(
    (e) =>
      e.involvedObject.kind === kind &&
      e.involvedObject.name === name &&
      (e.involvedObject.namespace ?? undefined) === ns,
  );
  if (!evs.length) return w.line(0, 'Events:\t<none>');
  w.line(0, 'Events:');
  w.line(1, 'Type\tReason\tAge\tFrom\tMessage');
  w.line(1, '----\t------\t----\t----\t-------');
  const now = engine.now();
  for (const e of evs) {
    const ageText =
      e.count > 1
        ? `${humanDuration(now - e.lastTimestamp)} (x${e.count} over ${humanDuration(now - e.firstTimestamp)})`
        : humanDuration(now - e.firstTimestamp);
    w.line(1, `${e.type}\t${e.reason}\t${ageText}\t${e.source}\t${e.message}`);
  }
}

function describePod(engine: Engine, p: Pod & KubeObject): string {
  const w = writer();
  const node = p.spec?.nodeName ? engine.get('Node', undefined, p.spec.nodeName) : undefined;
  const nodeIP = (node as Node | undefined)?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  w.line(0, `Name:\t${p.metadata.name}`);
  w.line(0, `Namespace:\t${p.metadata.namespace}`);
  w.line(0, `Priority:\t${p.spec?.priority ?? 0}`);
  w.line(0, `Service Account:\t${p.spec?.serviceAccountName ?? 'default'}`);
  w.line(0, `Node:\t${p.spec?.nodeName ? `${p.spec.nodeName}/${nodeIP ?? ''}` : '<none>'}`);
  w.line(0, `Start Time:\t${rfc1123z(p.status?.startTime)}`);
  labelsLines(w, 'Labels', p.metadata.labels);
  labelsLines(w, 'Annotations', p.metadata.annotations);
  w.line(0, `Status:\t${podStatus(p)}`);
  w.line(0, `IP:\t${p.status?.podIP ?? ''}`);
  w.line(0, 'IPs:');
  for (const ip of p.status?.podIPs ?? []) w.line(1, `IP:\t${ip.ip}`);
  const owner = p.metadata.ownerReferences?.find((o) => o.controller);
  if (owner) w.line(0, `Controlled By:\t${owner.kind}/${owner.name}`);
  w.line(0, 'Containers:');
  for (const c of p.spec?.containers ?? []) {
    const st = p.status?.containerStatuses?.find((s) => s.name === c.name);
    w.line(1, `${c.name}:`);
    w.line(2, `Container ID:\t${st?.containerID ?? ''}`);
    w.line(2, `Image:\t${c.image ?? ''}`);
    w.line(2, `Image ID:\t${st?.imageID ?? ''}`);
    const ports = (c.ports ?? []).map((x) => `${x.containerPort}/${x.protocol ?? 'TCP'}`);
    w.line(2, `Port${ports.length > 1 ? 's' : ''}:\t${ports.length ? ports.join(', ') : '<none>'}`);
    w.line(
      2,
      `Host Port${ports.length > 1 ? 's' : ''}:\t${ports.length ? ports.map((x) => `0/${x.split('/')[1]}`).join(', ') : '<none>'}`,
    );
    if (c.command?.length) {
      w.line(2, 'Command:');
      for (const x of c.command) w.line(3, x);
    }
    if (c.args?.length) {
      w.line(2, 'Args:');
      for (const x of c.args) w.line(3, x);
    }
    const state = st?.state?.running ? 'Running' : st?.state?.terminated ? 'Terminated' : 'Waiting';
    w.line(2, `State:\t${state}`);
    if (st?.state?.running) w.line(3, `Started:\t${rfc1123z(st.state.running.startedAt)}`);
    if (st?.state?.waiting) w.line(3, `Reason:\t${st.state.waiting.reason ?? ''}`);
    if (st?.lastState?.terminated) {
      w.line(2, 'Last State:\tTerminated');
      w.line(3, `Reason:\t${st.lastState.terminated.reason ?? ''}`);
      w.line(3, `Exit Code:\t${st.lastState.terminated.exitCode}`);
    }
    w.line(2, `Ready:\t${st?.ready ? 'True' : 'False'}`);
    w.line(2, `Restart Count:\t${st?.restartCount ?? 0}`);
    if (c.readinessProbe?.exec)
      w.line(
        2,
        `Readiness:\texec [${(c.readinessProbe.exec.command ?? []).join(' ')}] delay=0s timeout=1s period=10s #success=1 #failure=3`,
      );
    w.line(2, 'Environment:\t<none>');
    w.line(2, 'Mounts:\t<none>');
  }
  w.line(0, 'Conditions:');
  w.line(1, 'Type\tStatus');
  for (const c of p.status?.conditions ?? []) w.line(1, `${c.type} \t${c.status} `);
  w.line(0, 'Volumes:\t<none>');
  w.line(0, `QoS Class:\t${p.status?.qosClass ?? 'BestEffort'}`);
  w.line(0, 'Node-Selectors:\t<none>');
  w.line(0, 'Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s');
  w.line(0, '\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s');
  eventsLines(w, engine, 'Pod', p.metadata.namespace, p.metadata.name ?? '');
  return w.text();
}

function describeService(engine: Engine, s: Service & KubeObject): string {
  const w = writer();
  const ep = listObjects(
    engine,
    {
      kind: 'Endpoints',
      apiVersion: 'v1',
      plural: 'endpoints',
      singular: 'endpoints',
      shortNames: [],
      namespaced: true,
      group: '',
    },
    s.metadata.namespace,
  ).find((e) => e.metadata.name === s.metadata.name) as unknown as Endpoints | undefined;
  const sp = s.spec ?? {};
  w.line(0, `Name:\t${s.metadata.name}`);
  w.line(0, `Namespace:\t${s.metadata.namespace}`);
  labelsLines(w, 'Labels', s.metadata.labels);
  labelsLines(w, 'Annotations', s.metadata.annotations);
  w.line(
    0,
    `Selector:\t${
      sp.selector
        ? Object.keys(sp.selector)
            .sort()
            .map((k) => `${k}=${sp.selector?.[k]}`)
            .join(',')
        : '<none>'
    }`,
  );
  w.line(0, `Type:\t${sp.type ?? 'ClusterIP'}`);
  w.line(0, `IP Family Policy:\t${sp.ipFamilyPolicy ?? 'SingleStack'}`);
  w.line(0, `IP Families:\t${(sp.ipFamilies ?? ['IPv4']).join(',')}`);
  if (sp.type === 'ExternalName') w.line(0, `External Name:\t${sp.externalName ?? ''}`);
  else {
    w.line(0, `IP:\t${sp.clusterIP ?? ''}`);
    w.line(0, `IPs:\t${(sp.clusterIPs ?? [sp.clusterIP ?? '']).join(',')}`);
  }
  const lb = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '');
  if (lb.length) w.line(0, `LoadBalancer Ingress:\t${lb.join(', ')}`);
  for (const p of sp.ports ?? []) {
    const name = p.name || '<unset>';
    w.line(0, `Port:\t${name}\t${p.port}/${p.protocol ?? 'TCP'}`);
    w.line(0, `TargetPort:\t${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`);
    if (p.nodePort) w.line(0, `NodePort:\t${name}\t${p.nodePort}/${p.protocol ?? 'TCP'}`);
    const eps = ep
      ? formatEndpoints({
          ...ep,
          subsets: (ep.subsets ?? []).map((ss) => ({
            ...ss,
            ports: (ss.ports ?? []).filter((x) => (x.name ?? '') === (p.name ?? '')),
          })),
        })
      : '<none>';
    if (sp.type !== 'ExternalName') w.line(0, `Endpoints:\t${eps}`);
  }
  w.line(0, `Session Affinity:\t${sp.sessionAffinity ?? 'None'}`);
  if (sp.type === 'NodePort' || sp.type === 'LoadBalancer')
    w.line(0, `External Traffic Policy:\t${sp.externalTrafficPolicy ?? 'Cluster'}`);
  w.line(0, `Internal Traffic Policy:\t${sp.internalTrafficPolicy ?? 'Cluster'}`);
  eventsLines(w, engine, 'Service', s.metadata.namespace, s.metadata.name ?? '');
  return w.text();
}

function describeEndpoints(engine: Engine, e: Endpoints & KubeObject): string {
  const w = writer();
  w.line(0, `Name:\t${e.metadata.name}`);
  w.line(0, `Namespace:\t${e.metadata.namespace}`);
  labelsLines(w, 'Labels', e.metadata.labels);
  labelsLines(w, 'Annotations', e.metadata.annotations);
  w.line(0, 'Subsets:');
  for (const ss of e.subsets ?? []) {
    w.line(1, `Addresses:\t${(ss.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}`);
    w.line(1, `NotReadyAddresses:\t${(ss.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}`);
    w.line(1, 'Ports:');
    w.line(2, 'Name\tPort\tProtocol');
    w.line(2, '----\t----\t--------');
    for (const p of ss.ports ?? []) w.line(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? 'TCP'}`);
    w.line(0, '');
  }
  w.line(0, 'Events:\t<none>');
  void engine;
  return w.text();
}

function peerLines(w: W, peers: readonly NetworkPolicyPeer[]): void {
  for (const p of peers) {
    if (p.ipBlock) {
      w.line(3, 'IPBlock:');
      w.line(4, `CIDR: ${p.ipBlock.cidr}`);
      w.line(4, `Except: ${(p.ipBlock.except ?? []).join(', ')}`);
    } else if (p.podSelector && p.namespaceSelector) {
      w.line(3, `NamespaceSelector: ${formatSelector(p.namespaceSelector)}`);
      w.line(3, `PodSelector: ${formatSelector(p.podSelector)}`);
    } else if (p.namespaceSelector) w.line(3, `NamespaceSelector: ${formatSelector(p.namespaceSelector)}`);
    else w.line(3, `PodSelector: ${formatSelector(p.podSelector ?? {})}`);
  }
}

/** One direction of printNetworkPolicySpec: its rules, or why the pods are (not) isolated. */
function directionLines(
  w: W,
  direction: 'ingress' | 'egress',
  rules: readonly { ports?: readonly NetworkPolicyPort[]; peers?: readonly NetworkPolicyPeer[] }[] | null,
): void {
  const [peerWord, restriction] = direction === 'ingress' ? ['From', 'source'] : ['To', 'destination'];
  if (rules === null) {
    w.line(1, `Not affecting ${direction} traffic`);
    return;
  }
  w.line(1, `Allowing ${direction} traffic:`);
  if (!rules.length) w.line(2, `<none> (Selected pods are isolated for ${direction} connectivity)`);
  rules.forEach((r, i) => {
    if (i > 0) w.line(2, '----------');
    const ports = r.ports ?? [];
    w.line(
      2,
      `To Port: ${ports.length ? ports.map(portText).join(', ') : '<any> (traffic allowed to all ports)'}`,
    );
    const peers = r.peers ?? [];
    if (!peers.length) w.line(2, `${peerWord}: <any> (traffic not restricted by ${restriction})`);
    else {
      w.line(2, `${peerWord}:`);
      peerLines(w, peers);
    }
  });
}

const portText = (p: NetworkPolicyPort): string =>
  `${p.port ?? '<any>'}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}`;

/** describeNetworkPolicy / printNetworkPolicySpec. */
function describeNetworkPolicy(engine: Engine, np: NetworkPolicy & KubeObject): string {
  const w = writer();
  const spec = np.spec ?? { podSelector: {} };
  const types = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
  w.line(0, `Name:\t${np.metadata.name}`);
  w.line(0, `Namespace:\t${np.metadata.namespace}`);
  const created = np.metadata.creationTimestamp;
  w.line(
    0,
    `Created on:\t${created ? `${created.replace('T', ' ').replace('Z', '')} +0000 UTC` : '<unknown>'}`,
  );
  labelsLines(w, 'Labels', np.metadata.labels);
  labelsLines(w, 'Annotations', np.metadata.annotations);
  w.line(0, 'Spec:');
  const sel = formatSelector(spec.podSelector ?? {});
  w.line(
    1,
    `PodSelector:     ${sel === '<none>' ? '<none> (Allowing the specific traffic to all pods in this namespace)' : sel}`,
  );
  directionLines(
    w,
    'ingress',
    types.includes('Ingress') ? (spec.ingress ?? []).map((r) => ({ ports: r.ports, peers: r.from })) : null,
  );
  directionLines(
    w,
    'egress',
    types.includes('Egress') ? (spec.egress ?? []).map((r) => ({ ports: r.ports, peers: r.to })) : null,
  );
  w.line(1, `Policy Types: ${types.join(', ')}`);
  void engine;
  return w.text();
}

function describeIngress(engine: Engine, ing: Ingress & KubeObject): string {
  const w = writer();
  const addr = (ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').join(',');
  w.line(0, `Name:\t${ing.metadata.name}`);
  labelsLines(w, 'Labels', ing.metadata.labels);
  w.line(0, `Namespace:\t${ing.metadata.namespace}`);
  w.line(0, `Address:\t${addr}`);
  w.line(0, `Ingress Class:\t${ing.spec?.ingressClassName ?? '<none>'}`);
  const db = ing.spec?.defaultBackend?.service;
  w.line(0, `Default backend:\t${db ? `${db.name}:${db.port?.number ?? db.port?.name ?? ''}` : '<default>'}`);
  w.line(0, 'Rules:');
  w.line(1, 'Host\tPath\tBackends');
  w.line(1, '----\t----\t--------');
  const ns = ing.metadata.namespace ?? 'default';
  for (const r of ing.spec?.rules ?? []) {
    w.line(1, `${r.host ?? '*'}\t`);
    for (const p of r.http?.paths ?? []) {
      const svc = p.backend.service;
      const ep = svc
        ? (getObject(
            engine,
            {
              kind: 'Endpoints',
              apiVersion: 'v1',
              plural: 'endpoints',
              singular: 'endpoints',
              shortNames: [],
              namespaced: true,
              group: '',
            },
            ns,
            svc.name,
          ) as unknown as Endpoints | undefined)
        : undefined;
      const eps = ep ? formatEndpoints(ep) : '<error: endpoints "' + (svc?.name ?? '') + '" not found>';
      w.line(
        2,
        `\t${p.path ?? '/'}\t${svc ? `${svc.name}:${svc.port?.number ?? svc.port?.name ?? ''} (${eps})` : ''}`,
      );
    }
  }
  labelsLines(w, 'Annotations', ing.metadata.annotations);
  eventsLines(w, engine, 'Ingress', ns, ing.metadata.name ?? '');
  return w.text();
}

function describeNode(engine: Engine, n: Node & KubeObject): string {
  const w = writer();
  const roles = Object.keys(n.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.split('/')[1]);
  w.line(0, `Name:\t${n.metadata.name}`);
  w.line(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}`);
  labelsLines(w, 'Labels', n.metadata.labels);
  labelsLines(w, 'Annotations', n.metadata.annotations);
  w.line(0, `CreationTimestamp:\t${rfc1123z(n.metadata.creationTimestamp)}`);
  w.line(0, 'Taints:\t<none>');
  w.line(0, `Unschedulable:\t${n.spec?.unschedulable ? 'true' : 'false'}`);
  w.line(0, 'Conditions:');
  w.line(1, 'Type\tStatus\tReason\tMessage');
  w.line(1, '----\t------\t------\t-------');
  for (const c of n.status?.conditions ?? [])
    w.line(1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}`);
  w.line(0, 'Addresses:');
  for (const a of n.status?.addresses ?? []) w.line(1, `${a.type}:\t${a.address}`);
  const i = n.status?.nodeInfo;
  w.line(0, 'System Info:');
  w.line(1, `Kernel Version:\t${i?.kernelVersion ?? ''}`);
  w.line(1, `OS Image:\t${i?.osImage ?? ''}`);
  w.line(1, `Operating System:\t${i?.operatingSystem ?? 'linux'}`);
  w.line(1, `Architecture:\t${i?.architecture ?? 'amd64'}`);
  w.line(1, `Container Runtime Version:\t${i?.containerRuntimeVersion ?? ''}`);
  w.line(1, `Kubelet Version:\t${i?.kubeletVersion ?? ''}`);
  w.line(1, `Kube-Proxy Version:\t${i?.kubeProxyVersion ?? ''}`);
  w.line(0, `PodCIDR:\t${n.spec?.podCIDR ?? ''}`);
  w.line(0, `PodCIDRs:\t${(n.spec?.podCIDRs ?? []).join(',')}`);
  const pods = (engine.list('Pod') as unknown as (Pod & KubeObject)[]).filter(
    (p) => p.spec?.nodeName === n.metadata.name,
  );
  w.line(0, `Non-terminated Pods:\t(${pods.length} in total)`);
  w.line(1, 'Namespace\tName\tAge');
  w.line(1, '---------\t----\t---');
  const now = engine.now();
  for (const p of pods)
    w.line(
      1,
      `${p.metadata.namespace}\t${p.metadata.name}\t${humanDuration(now - (fromRfc3339(p.metadata.creationTimestamp) ?? now))}`,
    );
  eventsLines(w, engine, 'Node', undefined, n.metadata.name ?? '');
  return w.text();
}

function describeDeployment(engine: Engine, d: Deployment & KubeObject): string {
  const w = writer();
  const st = d.status ?? {};
  w.line(0, `Name:\t${d.metadata.name}`);
  w.line(0, `Namespace:\t${d.metadata.namespace}`);
  w.line(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}`);
  labelsLines(w, 'Labels', d.metadata.labels);
  labelsLines(w, 'Annotations', d.metadata.annotations);
  w.line(0, `Selector:\t${formatSelector(d.spec?.selector)}`);
  const unavailable = Math.max(0, (st.replicas ?? 0) - (st.availableReplicas ?? 0));
  w.line(
    0,
    `Replicas:\t${d.spec?.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${unavailable} unavailable`,
  );
  w.line(0, `StrategyType:\t${d.spec?.strategy?.type ?? 'RollingUpdate'}`);
  w.line(0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}`);
  const ru = d.spec?.strategy?.rollingUpdate;
  w.line(
    0,
    `RollingUpdateStrategy:\t${ru?.maxUnavailable ?? '25%'} max unavailable, ${ru?.maxSurge ?? '25%'} max surge`,
  );
  w.line(0, 'Pod Template:');
  labelsLines(
    { line: (l, t) => w.line(l + 1, t), text: () => '' },
    'Labels',
    d.spec?.template?.metadata?.labels,
  );
  w.line(1, 'Containers:');
  for (const c of d.spec?.template?.spec?.containers ?? []) {
    w.line(2, `${c.name}:`);
    w.line(3, `Image:\t${c.image ?? ''}`);
    const ports = (c.ports ?? []).map((x) => `${x.containerPort}/${x.protocol ?? 'TCP'}`);
    w.line(3, `Port:\t${ports.length ? ports.join(', ') : '<none>'}`);
    w.line(3, `Host Port:\t${ports.length ? ports.map((x) => `0/${x.split('/')[1]}`).join(', ') : '<none>'}`);
    w.line(3, 'Environment:\t<none>');
    w.line(3, 'Mounts:\t<none>');
  }
  w.line(1, 'Volumes:\t<none>');
  w.line(1, 'Node-Selectors:\t<none>');
  w.line(1, 'Tolerations:\t<none>');
  w.line(0, 'Conditions:');
  w.line(1, 'Type\tStatus\tReason');
  w.line(1, '----\t------\t------');
  for (const c of st.conditions ?? []) w.line(1, `${c.type} \t${c.status}\t${c.reason ?? ''}`);
  const rss = engine
    .list('ReplicaSet', d.metadata.namespace)
    .filter((r) =>
      r.metadata.ownerReferences?.some((o) => o.name === d.metadata.name && o.kind === 'Deployment'),
    );
  // The new ReplicaSet is the one whose pod template is the Deployment's (its pod-template-hash
  // label is the template's hash); the rest are old (deploymentutil.FindNewReplicaSet).
  const hash = podTemplateHash((d.spec as { template?: unknown } | undefined)?.template);
  const newest = rss.find((r) => r.metadata.labels?.['pod-template-hash'] === hash);
  const rsLine = (r: KubeObject) =>
    `${r.metadata.name} (${(r.status as { replicas?: number } | undefined)?.replicas ?? 0}/${(r.spec as { replicas?: number } | undefined)?.replicas ?? 0} replicas created)`;
  const old = rss.filter((r) => r !== newest);
  w.line(0, `OldReplicaSets:\t${old.length ? old.map(rsLine).join(', ') : '<none>'}`);
  w.line(0, `NewReplicaSet:\t${newest ? rsLine(newest) : '<none>'}`);
  eventsLines(w, engine, 'Deployment', d.metadata.namespace, d.metadata.name ?? '');
  return w.text();
}

function describeGeneric(engine: Engine, o: KubeObject): string {
  const w = writer();
  w.line(0, `Name:\t${o.metadata.name}`);
  if (o.metadata.namespace) w.line(0, `Namespace:\t${o.metadata.namespace}`);
  labelsLines(w, 'Labels', o.metadata.labels);
  labelsLines(w, 'Annotations', o.metadata.annotations);
  if (o.kind === 'Namespace') w.line(0, 'Status:\tActive');
  eventsLines(w, engine, o.kind, o.metadata.namespace, o.metadata.name ?? '');
  return w.text();
}

export function describeObject(engine: Engine, o: KubeObject): string {
  switch (o.kind) {
    case 'Pod':
      return describePod(engine, o as Pod & KubeObject);
    case 'Service':
      return describeService(engine, o as Service & KubeObject);
    case 'Endpoints':
      return describeEndpoints(engine, o as unknown as Endpoints & KubeObject);
    case 'NetworkPolicy':
      return describeNetworkPolicy(engine, o as NetworkPolicy & KubeObject);
    case 'Ingress':
      return describeIngress(engine, o as Ingress & KubeObject);
    case 'Node':
      return describeNode(engine, o as Node & KubeObject);
    case 'Deployment':
      return describeDeployment(engine, o as Deployment & KubeObject);
    default:
      return describeGeneric(engine, o);
  }
}

function run(a: VerbArgs, engine: Engine): KubectlOutput {
  if (!a.args.length)
    return fail(
      'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.',
    );
  const reqs = parseResourceArgs(a.args, false);
  if ('error' in reqs) return fail(reqs.error);
  const blocks: string[] = [];
  const errors: string[] = [];
  for (const r of reqs) {
    let items: KubeObject[];
    if (r.names.length) {
      items = [];
      for (const n of r.names) {
        const exact = getObject(engine, r.type, a.namespace, n);
        // describe matches by prefix when there is no exact name (kubectl describe pods web).
        const byPrefix = exact
          ? [exact]
          : listObjects(engine, r.type, a.namespace).filter((o) => (o.metadata.name ?? '').startsWith(n));
        if (byPrefix.length) items.push(...byPrefix);
        else errors.push(notFound(r.type, n));
      }
    } else {
      items = listObjects(engine, r.type, a.flags.get('all-namespaces') === true ? undefined : a.namespace);
      const l = a.flags.get('selector');
      if (typeof l === 'string') {
        const s = parseSelector(l);
        if ('error' in s) return fail(`error: ${s.error}`);
        items = items.filter((o) => matchesSelector(s, o.metadata.labels ?? {}));
      }
    }
    blocks.push(...items.map((o) => describeObject(engine, o)));
  }
  const stderr =
    errors.map((e) => `${e}\n`).join('') +
    (!blocks.length && !errors.length ? `No resources found in ${a.namespace} namespace.\n` : '');
  return { stdout: blocks.join('\n\n'), stderr, exitCode: errors.length ? 1 : 0, connects: [] };
}

export const describeVerb: Verb = {
  name: 'describe',
  aliases: [],
  short: 'Show details of a specific resource or group of resources',
  usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)',
  flags: [
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
  ],
  run,
};
