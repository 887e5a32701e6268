import type { Pod } from 'kubernetes-types/core/v1';
import type { Engine, KubeObject } from '../engine';
import type { Check, PodRef } from '../lessons/types';
import { exportManifests, userObjects } from './exportManifests';
import type { LabRecord } from './labRecord';

// A bash script that puts the lab on a real cluster and checks there what the simulation predicts:
// it applies the exported manifests, waits for readiness, opens the lab's connections from inside
// its pods with `kubectl exec` (curl, or BusyBox wget where an image has no curl; nslookup for
// DNS) and prints each expectation beside what the cluster did. Every name that comes from the lab
// reaches the shell only inside single quotes (POSIX shell, 2.2.2: nothing is special there), so a
// hostile name cannot run a command.

export type ProbeOutcome = 'delivered' | 'blocked' | 'refused' | 'reset' | 'nxdomain';
export type DnsOutcome = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'timeout';

/** Which pod a probe runs in: a bare pod by name, a controller's pod by its labels. */
export interface ProbeClient {
  readonly namespace: string;
  readonly name?: string;
  readonly selector?: string;
}

export type ProbeTarget =
  /** A DNS name or an address, as typed. */
  | { readonly host: string }
  /** The IP the real cluster gave a pod. */
  | { readonly podIP: ProbeClient }
  /** The ClusterIP the real cluster gave a Service. */
  | { readonly serviceIP: { readonly namespace: string; readonly name: string } };

export type ScriptProbe =
  | {
      readonly kind: 'tcp';
      readonly label: string;
      readonly from: ProbeClient;
      readonly to: ProbeTarget;
      readonly port: number;
      readonly expect: ProbeOutcome;
    }
  | {
      readonly kind: 'dns';
      readonly label: string;
      readonly from: ProbeClient;
      readonly name: string;
      readonly expect: DnsOutcome;
    };

export interface ScriptInput {
  readonly labName: string;
  /** The multi-document YAML to apply (exportManifests). */
  readonly manifests: string;
  readonly probes: readonly ScriptProbe[];
  /** The namespaces the manifests create, to wait for readiness in (`default` is always waited on). */
  readonly namespaces: readonly string[];
  /** The CNI the simulation used, for the header's note on NetworkPolicy enforcement. */
  readonly cni: string;
  /** Probes that could not be carried to a real cluster, with why (printed as SKIP). */
  readonly skipped?: readonly string[];
}

/** Single-quotes `s` for the shell: `'` becomes `'\''`, and nothing else is special inside. */
export const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The pod's labels without the ones a controller adds per revision, as a `-l` selector. */
function selectorOf(pod: Pod): string {
  return Object.entries(pod.metadata?.labels ?? {})
    .filter(([k]) => k !== 'pod-template-hash' && k !== 'controller-revision-hash')
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
}

export function clientOf(pod: Pod): ProbeClient {
  const namespace = pod.metadata?.namespace ?? 'default';
  const owned = (pod.metadata?.ownerReferences?.length ?? 0) > 0;
  const selector = selectorOf(pod);
  return owned && selector !== '' ? { namespace, selector } : { namespace, name: pod.metadata?.name ?? '' };
}

const clientKey = (c: ProbeClient) => `${c.namespace}/${c.name ?? `-l ${c.selector ?? ''}`}`;

/** Namespaces whose pods the cluster runs for itself, never a lab's clients. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'ingress-nginx']);

export const MAX_ENGINE_PROBES = 60;

/**
 * What the simulated cluster predicts: from one running pod of each Deployment (or each bare pod)
 * to every TCP port of every ClusterIP Service, traced inside `engine.probe` so nothing in the lab
 * changes (no conntrack entry, no load-balancer choice, no DNS cache entry).
 */
export function engineProbes(engine: Engine): ScriptProbe[] {
  const pods = engine
    .list('Pod')
    .filter(
      (p) =>
        !SYSTEM_NAMESPACES.has(p.metadata.namespace ?? '') &&
        (p as Pod).status?.phase === 'Running' &&
        (p as Pod).status?.podIP,
    ) as (Pod & KubeObject)[];
  const clients = new Map<string, { pod: Pod & KubeObject; client: ProbeClient }>();
  for (const pod of pods) {
    const client = clientOf(pod);
    if (!clients.has(clientKey(client))) clients.set(clientKey(client), { pod, client });
  }
  const services = engine.list('Service').filter((s) => {
    const spec = (s as { spec?: { type?: string; clusterIP?: string } }).spec;
    return (
      !SYSTEM_NAMESPACES.has(s.metadata.namespace ?? '') &&
      !(s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes') &&
      spec?.type !== 'ExternalName' &&
      spec?.clusterIP !== 'None'
    );
  });
  const probes: ScriptProbe[] = [];
  for (const { pod, client } of clients.values()) {
    for (const svc of services) {
      const ports = (svc as { spec?: { ports?: { port: number; protocol?: string }[] } }).spec?.ports ?? [];
      for (const port of ports) {
        if ((port.protocol ?? 'TCP') !== 'TCP') continue;
        if (probes.length >= MAX_ENGINE_PROBES) return probes;
        const ns = svc.metadata.namespace ?? 'default';
        const host = `${svc.metadata.name ?? ''}.${ns}.svc.cluster.local`;
        const result = engine.probe((e) =>
          e.connect({
            from: `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`,
            to: host,
            port: port.port,
          }),
        );
        const expect: ProbeOutcome = result.delivered
          ? 'delivered'
          : result.failure === 'refused'
            ? 'refused'
            : result.failure === 'reset'
              ? 'reset'
              : result.failure === 'dns-nxdomain'
                ? 'nxdomain'
                : 'blocked';
        probes.push({
          kind: 'tcp',
          label: `${clientKey(client)} -> ${host}:${port.port}`,
          from: client,
          to: { host },
          port: port.port,
          expect,
        });
      }
    }
  }
  return probes;
}

/** A lesson's pod reference as a real-cluster client, or why it cannot be one. */
function lessonClient(engine: Engine, ref: PodRef): ProbeClient | string {
  if (typeof ref !== 'string') return { namespace: ref.namespace ?? 'default', selector: ref.selector };
  if (ref === 'external' || ref.startsWith('node:'))
    return `a probe from ${ref} needs a client outside the pods, which kubectl exec cannot be`;
  const [ns, name] = ref.includes('/') ? ref.split('/') : ['default', ref];
  const pod = engine.get('Pod', ns, name ?? '') as Pod | undefined;
  return pod ? clientOf(pod) : { namespace: ns ?? 'default', name: name ?? '' };
}

/**
 * A lesson task's connect and DNS checks as probes, with the lesson's expectations (what the task
 * asks for), and the checks that cannot run through kubectl exec.
 */
export function lessonProbes(
  engine: Engine,
  checks: readonly Check[],
): { probes: ScriptProbe[]; skipped: string[] } {
  const probes: ScriptProbe[] = [];
  const skipped: string[] = [];
  for (const check of checks) {
    if ('connect' in check) {
      const c = check.connect;
      const from = lessonClient(engine, c.from);
      const label = check.label ?? `connect ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`;
      if (typeof from === 'string') {
        skipped.push(`${label}: ${from}`);
        continue;
      }
      if ((c.protocol ?? 'TCP') !== 'TCP') {
        skipped.push(
          `${label}: only TCP connections are probed (nc cannot tell a dropped UDP datagram from an answered one)`,
        );
        continue;
      }
      let to: ProbeTarget;
      let port = c.port;
      if (typeof c.to === 'string') {
        const m = /^(.*?)(?::(\d+))?$/.exec(c.to);
        to = { host: m?.[1] ?? c.to };
        port ??= m?.[2] ? Number(m[2]) : undefined;
      } else if ('pod' in c.to) {
        const target = lessonClient(engine, c.to.pod);
        if (typeof target === 'string') {
          skipped.push(`${label}: ${target}`);
          continue;
        }
        to = { podIP: target };
      } else if ((c.to.via ?? 'clusterIP') === 'clusterIP') {
        const [ns, name] = c.to.service.includes('/') ? c.to.service.split('/') : ['default', c.to.service];
        to = { serviceIP: { namespace: ns ?? 'default', name: name ?? '' } };
      } else {
        skipped.push(`${label}: node ports and load-balancer addresses differ from cluster to cluster`);
        continue;
      }
      if (port === undefined) {
        skipped.push(`${label}: no port`);
        continue;
      }
      probes.push({ kind: 'tcp', label, from, to, port, expect: c.expect });
    } else if ('dns' in check) {
      const d = check.dns;
      const from = lessonClient(engine, d.from);
      const label = check.label ?? `nslookup ${d.name}`;
      if (typeof from === 'string') skipped.push(`${label}: ${from}`);
      else if ((d.type ?? 'A') !== 'A') skipped.push(`${label}: only A lookups are probed`);
      else probes.push({ kind: 'dns', label, from, name: d.name, expect: d.expectRcode ?? 'NOERROR' });
    }
  }
  return { probes, skipped };
}

/** A heredoc delimiter that no line of `text` equals. */
function delimiter(text: string): string {
  const lines = new Set(text.split('\n'));
  let d = 'K8S_NET_LAB_MANIFESTS';
  for (let i = 1; lines.has(d); i++) d = `K8S_NET_LAB_MANIFESTS_${i}`;
  return d;
}

const clientArgs = (c: ProbeClient) =>
  c.name !== undefined
    ? `${shq(c.namespace)} name ${shq(c.name)}`
    : `${shq(c.namespace)} selector ${shq(c.selector ?? '')}`;

const targetArgs = (t: ProbeTarget) =>
  'host' in t
    ? `host ${shq(t.host)} - -`
    : 'podIP' in t
      ? `pod ${clientArgs(t.podIP)}`
      : `service ${shq(t.serviceIP.namespace)} ${shq(t.serviceIP.name)} -`;

// Every target takes four words, so the port is always check_tcp's tenth argument.

const HEADER = `set -u

# What the simulation assumes of images, and what they really are:
# - nginx (Debian) serves its welcome page on port 80 and ships curl 7.88.
# - registry.k8s.io/e2e-test-images/agnhost:2.47 with args [netexec] serves HTTP on 8080 (UDP on
#   8081); the image has curl, netcat-openbsd and bind-tools (kubernetes test/images/agnhost/Dockerfile).
# - busybox and alpine have BusyBox wget, nc and nslookup but no curl.
# - nicolaka/netshoot and curlimages/curl have curl.
# The checks run inside the lab's own pods: each client pod needs curl or BusyBox wget (and nslookup
# for DNS checks). An image with neither is reported as ERROR, not as a failed expectation.
#
# NetworkPolicy needs a network plugin that enforces it (Calico, Cilium; kind's kindnetd since
# kind v0.24; minikube only when started with --cni=calico or --cni=cilium). On a plugin without it,
# "blocked" expectations come out "delivered", as the lab shows for Flannel.

KUBECTL="\${KUBECTL:-kubectl}"
PASS=0
FAIL=0
ERRORS=0

# pod_of NAMESPACE name|selector VALUE: the pod to exec in.
pod_of() {
  if [ "$2" = name ]; then
    printf '%s' "$3"
  else
    "$KUBECTL" get pods -n "$1" -l "$3" --field-selector=status.phase=Running \\
      -o jsonpath='{.items[0].metadata.name}' 2>/dev/null
  fi
}

# address_of host VALUE - - | pod NAMESPACE name|selector VALUE | service NAMESPACE NAME -
address_of() {
  case "$1" in
    host) printf '%s' "$2" ;;
    pod)
      pod=$(pod_of "$2" "$3" "$4")
      "$KUBECTL" get pod -n "$2" "$pod" -o jsonpath='{.status.podIP}' 2>/dev/null ;;
    service) "$KUBECTL" get service -n "$2" "$3" -o jsonpath='{.spec.clusterIP}' 2>/dev/null ;;
  esac
}

# tcp_probe NAMESPACE POD HOST PORT: delivered, blocked, refused, reset, nxdomain or error:…
tcp_probe() {
  out=$("$KUBECTL" exec -n "$1" "$2" -- curl -sS -o /dev/null --max-time 3 "http://$3:$4/" 2>&1)
  rc=$?
  case "$out" in
    *"executable file not found"*|*"no such file or directory"*)
      # No curl in the image: BusyBox wget (networking/wget.c) words its failures instead.
      out=$("$KUBECTL" exec -n "$1" "$2" -- wget -q -T 3 -O /dev/null "http://$3:$4/" 2>&1)
      rc=$?
      case "$out" in
        *"executable file not found"*|*"no such file or directory"*) echo "error:no-curl-or-wget" ;;
        *"server returned error"*) echo delivered ;;
        *"refused"*) echo refused ;;
        *"reset"*) echo reset ;;
        *"timed out"*) echo blocked ;;
        *"bad address"*) echo nxdomain ;;
        *) if [ "$rc" -eq 0 ]; then echo delivered; else echo "error:wget-$rc"; fi ;;
      esac
      return ;;
  esac
  # curl(1) EXIT CODES: 6 could not resolve, 7 could not connect (refused), 28 timed out,
  # 52 empty reply (connected to something that is not HTTP), 56 connection reset.
  case "$rc" in
    0|52) echo delivered ;;
    6) echo nxdomain ;;
    7) echo refused ;;
    28) echo blocked ;;
    56) echo reset ;;
    *) echo "error:curl-$rc" ;;
  esac
}

# dns_probe NAMESPACE POD NAME: NOERROR, NXDOMAIN, SERVFAIL, timeout or error:…
dns_probe() {
  out=$("$KUBECTL" exec -n "$1" "$2" -- nslookup "$3" 2>&1)
  rc=$?
  case "$out" in
    *"executable file not found"*|*"no such file or directory"*) echo "error:no-nslookup" ;;
    *NXDOMAIN*) echo NXDOMAIN ;;
    *SERVFAIL*) echo SERVFAIL ;;
    *"timed out"*|*"no servers could be reached"*) echo timeout ;;
    *) if [ "$rc" -eq 0 ]; then echo NOERROR; else echo "error:nslookup-$rc"; fi ;;
  esac
}

# report EXPECTED GOT LABEL
report() {
  if [ "$1" = "$2" ]; then
    PASS=$((PASS + 1)); verdict=ok
  else
    case "$2" in
      error:*) ERRORS=$((ERRORS + 1)); verdict=ERROR ;;
      *) FAIL=$((FAIL + 1)); verdict=MISMATCH ;;
    esac
  fi
  printf 'EXPECT %-10s GOT %-10s %-8s %s\\n' "$1" "$2" "$verdict" "$3"
}

# check_tcp EXPECTED LABEL NAMESPACE name|selector VALUE TARGET(4 words) PORT
check_tcp() {
  pod=$(pod_of "$3" "$4" "$5")
  if [ -z "$pod" ]; then report "$1" "error:no-running-pod" "$2"; return; fi
  host=$(address_of "$6" "$7" "$8" "$9")
  if [ -z "$host" ]; then report "$1" "error:no-address" "$2"; return; fi
  report "$1" "$(tcp_probe "$3" "$pod" "$host" "\${10}")" "$2"
}

# check_dns EXPECTED LABEL NAMESPACE name|selector VALUE NAME
check_dns() {
  pod=$(pod_of "$3" "$4" "$5")
  if [ -z "$pod" ]; then report "$1" "error:no-running-pod" "$2"; return; fi
  report "$1" "$(dns_probe "$3" "$pod" "$6")" "$2"
}
`;

/** The script: pure text, the same for the same lab. */
export function exportScript(input: ScriptInput): string {
  const end = delimiter(input.manifests);
  const waitIn = [...new Set(['default', ...input.namespaces])];
  const lines: string[] = [
    '#!/usr/bin/env bash',
    `# ${input.labName.replace(/[\r\n]+/g, ' ')}: exported from the Kubernetes Networking Lab.`,
    '# Applies the lab to the cluster your kubectl reaches (kind, minikube, any cluster), waits for it to',
    "# be ready, and runs the lab's connectivity checks from inside its pods, printing each expectation",
    '# beside what the cluster did. Exit status 0 when every check matches, 1 otherwise.',
    `# The simulation ran with the ${input.cni.replace(/[^a-z0-9-]/gi, '')} network plugin.`,
    HEADER,
    `echo ${shq(`Applying the lab's manifests…`)}`,
    `"$KUBECTL" apply -f - <<'${end}' || { echo 'kubectl apply failed; nothing was checked.' >&2; exit 2; }`,
    input.manifests.endsWith('\n') ? input.manifests.slice(0, -1) : input.manifests,
    end,
    '',
    `echo 'Waiting for Deployments to be Available and pods to be Ready (up to 120 s each)…'`,
    ...waitIn.map(
      (ns) =>
        `"$KUBECTL" wait -n ${shq(ns)} --for=condition=Available deployment --all --timeout=120s >/dev/null 2>&1 || echo ${shq(`Some Deployments in ${ns} are not Available yet.`)}`,
    ),
    ...waitIn.map(
      (ns) =>
        `"$KUBECTL" wait -n ${shq(ns)} --for=condition=Ready pod --all --timeout=120s >/dev/null 2>&1 || echo ${shq(`Some pods in ${ns} are not Ready (a lab may expect that).`)}`,
    ),
    '',
    `echo 'Checks:'`,
  ];
  for (const p of input.probes) {
    if (p.kind === 'tcp')
      lines.push(
        `check_tcp ${shq(p.expect)} ${shq(p.label)} ${clientArgs(p.from)} ${targetArgs(p.to)} ${shq(String(p.port))}`,
      );
    else lines.push(`check_dns ${shq(p.expect)} ${shq(p.label)} ${clientArgs(p.from)} ${shq(p.name)}`);
  }
  for (const s of input.skipped ?? []) lines.push(`printf 'SKIP %s\\n' ${shq(s)}`);
  lines.push(
    '',
    `printf '\\n%d ok, %d mismatched, %d could not run (of %d)\\n' "$PASS" "$FAIL" "$ERRORS" ${shq(String(input.probes.length))}`,
    'if [ "$FAIL" -gt 0 ] || [ "$ERRORS" -gt 0 ]; then exit 1; fi',
    'exit 0',
    '',
  );
  return lines.join('\n');
}

/**
 * The script for the lab in `engine` (built from `record`): the lesson task's connect and DNS checks
 * when `lessonChecks` holds any, else what the simulated cluster predicts.
 */
export function labScript(engine: Engine, record: LabRecord, lessonChecks: readonly Check[] = []): string {
  const fromLesson = lessonProbes(engine, lessonChecks);
  const useLesson = fromLesson.probes.length + fromLesson.skipped.length > 0;
  const namespaces = userObjects(engine, record).flatMap((o) => {
    const meta = o.metadata as { name?: string; namespace?: string };
    return o.kind === 'Namespace' ? [meta.name ?? ''] : meta.namespace ? [meta.namespace] : [];
  });
  return exportScript({
    labName: record.name,
    manifests: exportManifests(engine, record),
    namespaces,
    cni: engine.settings.cni,
    probes: useLesson ? fromLesson.probes : engineProbes(engine),
    skipped: useLesson ? fromLesson.skipped : [],
  });
}
