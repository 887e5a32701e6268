// version, cluster-info, api-resources.
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { Engine, KubeObject } from '../../engine';
import { RESOURCE_TYPES } from '../resources';
import { table } from '../tabwriter';
import { fail, out, str, type KubectlOutput, type Verb, type VerbArgs } from '../types';

/** The kubelet version the nodes report is the cluster's version (kubeadm installs one release). */
export function serverVersion(engine: Engine): string {
  const n = engine.list('Node')[0] as (Node & KubeObject) | undefined;
  return n?.status?.nodeInfo?.kubeletVersion ?? 'v1.30.4';
}

function apiServer(engine: Engine): string {
  const n = engine.list('Node')[0] as (Node & KubeObject) | undefined;
  return `https://${n?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1'}:6443`;
}

export const versionVerb: Verb = {
  name: 'version',
  aliases: [],
  short: 'Print the client and server version information',
  usage: 'kubectl version [flags]',
  flags: [
    { name: 'client', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
  ],
  run(a: VerbArgs, engine: Engine): KubectlOutput {
    const v = serverVersion(engine);
    const client = a.flags.get('client') === true;
    const o = str(a.flags, 'output');
    if (o === 'json' || o === 'yaml') {
      const info = (g: string) => ({
        major: g.slice(1).split('.')[0],
        minor: g.split('.')[1],
        gitVersion: g,
        platform: 'linux/amd64',
      });
      const body = {
        clientVersion: info(v),
        kustomizeVersion: 'v5.0.4-0.20230601165947-6ce0bf390ce3',
        ...(client ? {} : { serverVersion: info(v) }),
      };
      return out(`${JSON.stringify(body, null, 2)}\n`);
    }
    if (o !== undefined) return fail(`error: --output must be 'yaml' or 'json'`);
    return out(
      `Client Version: ${v}\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n${client ? '' : `Server Version: ${v}\n`}`,
    );
  },
};

export const clusterInfoVerb: Verb = {
  name: 'cluster-info',
  aliases: [],
  short: 'Display cluster information',
  usage: 'kubectl cluster-info [flags]',
  flags: [],
  run(_a: VerbArgs, engine: Engine): KubectlOutput {
    const api = apiServer(engine);
    // Services labelled kubernetes.io/cluster-service=true are listed; kubeadm's kube-dns is
    // printed as CoreDNS (its kubernetes.io/name label).
    const dns = engine.get('Service', 'kube-system', 'kube-dns') as (Service & KubeObject) | undefined;
    const lines = [`Kubernetes control plane is running at ${api}`];
    if (dns)
      lines.push(
        `${dns.metadata.labels?.['kubernetes.io/name'] ?? 'kube-dns'} is running at ${api}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy`,
      );
    return out(
      `${lines.join('\n')}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    );
  },
};

export const apiResourcesVerb: Verb = {
  name: 'api-resources',
  aliases: [],
  short: 'Print the supported API resources on the server',
  usage: 'kubectl api-resources [flags]',
  flags: [{ name: 'namespaced', type: 'string' }],
  run(a: VerbArgs): KubectlOutput {
    const ns = str(a.flags, 'namespaced');
    const rows = [...RESOURCE_TYPES]
      .filter((t) => ns === undefined || String(t.namespaced) === ns)
      .sort((x, y) => x.group.localeCompare(y.group) || x.plural.localeCompare(y.plural))
      .map((t) => [t.plural, t.shortNames.join(','), t.apiVersion, String(t.namespaced), t.kind]);
    return out(table(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], rows));
  },
};
