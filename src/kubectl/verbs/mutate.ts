// The verbs that change the cluster: create, expose, scale, delete, label, apply. Objects are built
// the way kubectl builds them client-side (pkg/cmd/create/create_deployment.go,
// pkg/cmd/expose/expose.go, pkg/generate/versioned/service.go) and sent through the engine's API
// server path (validation, defaulting, allocation).
import { parseAllDocuments } from 'yaml';
import type { Container, Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { Deployment } from 'kubernetes-types/apps/v1';
import {
  matchesSelector,
  rfc3339,
  type ApplyError,
  type ApplyResultItem,
  type Engine,
  type KubeObject,
} from '../../engine';
import { parseSelector } from '../selector';
import {
  getObject,
  listObjects,
  notFound,
  qualifiedName,
  resolveType,
  resourceName,
  type ResourceType,
} from '../resources';
import {
  bool,
  fail,
  int,
  out,
  str,
  type KubectlContext,
  type KubectlOutput,
  type Verb,
  type VerbArgs,
} from '../types';
import { parseResourceArgs } from './get';

/** kubectl's wording of API errors: `The Service "web" is invalid: spec.type: Unsupported value: …`. */
export function applyErrorText(e: ApplyError): string {
  if (e.field && e.kind) return `The ${e.kind} "${e.name ?? ''}" is invalid: ${e.message}`;
  if (e.type === 'Not found') return `Error from server (NotFound): ${e.message}`;
  return `error: ${e.message}`;
}

/**
 * An error of `apply -f FILE` as kubectl prints it. A refused create names the file:
 * `Error from server (BadRequest): error when creating "x.yaml": … strict decoding error: …`, and an
 * admission webhook's denial (Istio's validation) prints `Error from server: error when creating …`.
 */
function fileErrorText(engine: Engine, e: ApplyError, shown: string): string {
  if (!e.field && !e.kind) return `error: error parsing ${shown}: ${e.message}`;
  const webhook = e.message.startsWith('admission webhook ');
  if (e.type !== 'BadRequest' && !webhook) return applyErrorText(e);
  const exists =
    e.kind !== undefined && e.name !== undefined && engine.get(e.kind, e.namespace, e.name) !== undefined;
  const reason = webhook ? 'Error from server' : 'Error from server (BadRequest)';
  return exists ? `${reason}: ${e.message}` : `${reason}: error when creating "${shown}": ${e.message}`;
}

function errorsText(errs: readonly ApplyError[]): string {
  const invalid = errs.filter((e) => e.field && e.kind);
  if (invalid.length > 1 && invalid.length === errs.length) {
    const first = invalid[0] as ApplyError;
    return `The ${first.kind} "${first.name ?? ''}" is invalid: \n${invalid.map((e) => `* ${e.message}`).join('\n')}`;
  }
  return errs.map(applyErrorText).join('\n');
}

const typeOfKind = (kind: string): ResourceType | undefined => resolveType(kind);
const resultName = (r: { kind: string; name: string }): string => {
  const t = typeOfKind(r.kind);
  return t ? qualifiedName(t, r.name) : `${r.kind.toLowerCase()}/${r.name}`;
};

function createObject(
  engine: Engine,
  obj: KubeObject,
  t: ResourceType,
  namespace: string,
): KubectlOutput | null {
  const name = obj.metadata.name ?? '';
  if (getObject(engine, t, namespace, name))
    return fail(`Error from server (AlreadyExists): ${resourceName(t)} "${name}" already exists`);
  const r = engine.cluster.applyObject(obj);
  if ('errors' in r) return fail(errorsText(r.errors));
  return null;
}

/** The container name kubectl derives from an image: its last path segment without tag or digest. */
export const containerNameOf = (image: string): string =>
  (image.split('/').pop() ?? image)
    .split(/[:@]/)[0]
    ?.toLowerCase()
    .replace(/[^a-z0-9-]/g, '-') ?? 'container';

function createDeployment(a: VerbArgs, engine: Engine, name: string): KubectlOutput {
  const images = a.flags.get('image');
  const list = Array.isArray(images) ? (images as string[]) : [];
  if (!list.length) return fail('error: required flag(s) "image" not set');
  const replicas = int(a.flags, 'replicas') ?? 1;
  const port = int(a.flags, 'port');
  const labels = { app: name };
  const containers: Container[] = list.map((image) => ({
    name: containerNameOf(image),
    image,
    ...(port !== undefined && port >= 0 ? { ports: [{ containerPort: port }] } : {}),
    ...(a.dash?.length ? { command: [...a.dash] } : {}),
  }));
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: a.namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      strategy: {},
      template: { metadata: { labels }, spec: { containers } },
    },
  };
  const t = resolveType('deployments') as ResourceType;
  return (
    createObject(engine, d as unknown as KubeObject, t, a.namespace) ??
    out(`${qualifiedName(t, name)} created\n`)
  );
}

function runCreate(a: VerbArgs, engine: Engine): KubectlOutput {
  const file = str(a.flags, 'filename');
  if (file !== undefined) return applyFile(a, engine, file, 'create');
  const [sub, name, ...rest] = a.args;
  if (!sub)
    return fail("error: must specify one of -f and -k\n\nSee 'kubectl create -h' for help and examples");
  if (sub === 'deployment' || sub === 'deploy') {
    if (!name)
      return fail(
        "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples",
      );
    if (rest.length)
      return fail(
        `error: exactly one NAME is required, got ${rest.length + 1}\nSee 'kubectl create deployment -h' for help and examples`,
      );
    return createDeployment(a, engine, name);
  }
  if (sub === 'namespace' || sub === 'ns') {
    if (!name)
      return fail(
        "error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples",
      );
    const t = resolveType('namespaces') as ResourceType;
    return (
      createObject(engine, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, t, a.namespace) ??
      out(`namespace/${name} created\n`)
    );
  }
  return fail(`error: Unexpected args: [${a.args.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
}

export const createVerb: Verb = {
  name: 'create',
  aliases: [],
  short: 'Create a resource from a file or from stdin',
  usage:
    'kubectl create deployment NAME --image=image [--replicas=N] [--port=PORT] [-- command] | kubectl create namespace NAME | kubectl create -f FILENAME',
  flags: [
    { name: 'image', type: 'strings' },
    { name: 'replicas', short: 'r', type: 'int' },
    { name: 'port', type: 'int' },
    { name: 'filename', short: 'f', type: 'string' },
    { name: 'dry-run', type: 'string' },
  ],
  run: runCreate,
};

/** The object a TYPE NAME / TYPE/NAME argument pair names, or kubectl's error. */
function target(
  a: VerbArgs,
  engine: Engine,
  allowed?: readonly string[],
): { t: ResourceType; o: KubeObject } | { err: KubectlOutput } {
  const reqs = parseResourceArgs(a.args, false);
  if ('error' in reqs) return { err: fail(reqs.error) };
  const r = reqs[0];
  if (!r) return { err: fail(`error: You must provide one or more resources by argument or filename.`) };
  const name = r.names[0];
  if (!name) return { err: fail(`error: resource(s) were provided, but no name was specified`) };
  if (allowed && !allowed.includes(r.type.kind))
    return { err: fail(`error: cannot ${a.verb} ${r.type.plural}`) };
  const o = getObject(engine, r.type, a.namespace, name);
  if (!o) return { err: fail(notFound(r.type, name)) };
  return { t: r.type, o };
}

function runExpose(a: VerbArgs, engine: Engine): KubectlOutput {
  const found = target(a, engine, ['Deployment', 'Pod', 'Service', 'ReplicaSet']);
  if ('err' in found) return found.err;
  const { t, o } = found;
  let selector: Record<string, string> | undefined;
  let template: Pod['spec'];
  if (t.kind === 'Deployment' || t.kind === 'ReplicaSet') {
    const spec = o.spec as Deployment['spec'];
    if (spec?.selector?.matchExpressions?.length)
      return fail(
        `error: couldn't retrieve selectors via --selector flag or introspection: ${t.plural} "${o.metadata.name}" has a selector with matchExpressions that a Service cannot express`,
      );
    selector = spec?.selector?.matchLabels;
    template = spec?.template?.spec;
  } else if (t.kind === 'Pod') {
    selector = o.metadata.labels;
    template = (o as unknown as Pod).spec;
  } else selector = (o as unknown as Service).spec?.selector;
  const sel = str(a.flags, 'selector');
  if (sel !== undefined)
    selector = Object.fromEntries(sel.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  if (!selector || !Object.keys(selector).length)
    return fail(
      `error: couldn't retrieve selectors via --selector flag or introspection: the ${t.singular} has no labels`,
    );
  const protocol = str(a.flags, 'protocol') ?? undefined;
  const portFlag = str(a.flags, 'port');
  const targetPort = str(a.flags, 'target-port');
  let ports: ServicePort[];
  if (portFlag !== undefined) {
    const p = Number(portFlag);
    if (!/^\d+$/.test(portFlag)) return fail(`error: invalid port: "${portFlag}" is not a number`);
    ports = [
      { port: p, protocol: (protocol ?? 'TCP') as ServicePort['protocol'], targetPort: tp(targetPort) ?? p },
    ];
  } else if (t.kind === 'Service') {
    ports = ((o as unknown as Service).spec?.ports ?? []).map((p) => ({ ...p, nodePort: undefined }));
  } else {
    const cps = (template?.containers ?? []).flatMap((c) => c.ports ?? []);
    if (!cps.length)
      return fail(
        `error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`,
      );
    ports = cps.map((cp, i) => ({
      ...(cps.length > 1 ? { name: `port-${i + 1}` } : {}),
      port: cp.containerPort,
      protocol: (protocol ?? cp.protocol ?? 'TCP') as ServicePort['protocol'],
      targetPort: tp(targetPort) ?? cp.containerPort,
    }));
  }
  const name = str(a.flags, 'name') ?? o.metadata.name ?? '';
  const type = str(a.flags, 'type');
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: a.namespace,
      ...(o.metadata.labels ? { labels: { ...o.metadata.labels } } : {}),
    },
    spec: { ports, selector, ...(type ? { type } : {}) },
  };
  const st = resolveType('services') as ResourceType;
  return (
    createObject(engine, svc as unknown as KubeObject, st, a.namespace) ?? out(`service/${name} exposed\n`)
  );
}

const tp = (v: string | undefined): number | string | undefined =>
  v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v;

export const exposeVerb: Verb = {
  name: 'expose',
  aliases: [],
  short:
    'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  usage:
    'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--type=type]',
  flags: [
    { name: 'port', type: 'string' },
    { name: 'target-port', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'protocol', type: 'string' },
    { name: 'selector', type: 'string' },
  ],
  run: runExpose,
};

function runScale(a: VerbArgs, engine: Engine): KubectlOutput {
  const replicas = int(a.flags, 'replicas');
  if (replicas === undefined || replicas < 0)
    return fail('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const found = target(a, engine, ['Deployment', 'ReplicaSet']);
  if ('err' in found) return found.err;
  const { t, o } = found;
  const r = engine.cluster.update(t.kind, o.metadata.namespace, o.metadata.name ?? '', (x) => ({
    ...x,
    spec: { ...(x.spec as object), replicas },
  }));
  if ('error' in r) return fail(r.error ?? '');
  return out(`${qualifiedName(t, o.metadata.name ?? '')} scaled\n`);
}

export const scaleVerb: Verb = {
  name: 'scale',
  aliases: [],
  short: 'Set a new size for a deployment, replica set, replication controller, or stateful set',
  usage: 'kubectl scale --replicas=COUNT (-f FILENAME | TYPE NAME)',
  flags: [{ name: 'replicas', type: 'int', required: true }],
  run: runScale,
};

/** `kubectl label` and `kubectl annotate`: the same KEY=VAL / KEY- edits on one metadata map. */
function editMetadataMap(field: 'labels' | 'annotations', verbed: string) {
  const what = field === 'labels' ? 'label' : 'annotation';
  return (a: VerbArgs, engine: Engine): KubectlOutput => {
    const resArgs = a.args.filter((x) => !x.includes('=') && !x.endsWith('-'));
    const changes = a.args.filter((x) => x.includes('=') || x.endsWith('-'));
    if (!changes.length) return fail(`error: at least one ${what} update is required`);
    const found = target({ ...a, args: resArgs }, engine);
    if ('err' in found) return found.err;
    const { t, o } = found;
    const map: Record<string, string> = { ...(o.metadata[field] ?? {}) };
    const notes: string[] = [];
    let added = false;
    let removed = false;
    for (const c of changes) {
      if (c.endsWith('-') && !c.includes('=')) {
        const k = c.slice(0, -1);
        if (k in map) {
          delete map[k];
          removed = true;
        } else notes.push(`${what} "${k}" not found.`);
        continue;
      }
      const eq = c.indexOf('=');
      const k = c.slice(0, eq);
      const v = c.slice(eq + 1);
      if (k in map && map[k] !== v && !bool(a.flags, 'overwrite'))
        return fail(`error: '${k}' already has a value (${map[k]}), and --overwrite is false`);
      if (map[k] !== v) added = true;
      map[k] = v;
    }
    if (t.kind === 'Endpoints' || t.kind === 'Event')
      return fail(`error: cannot ${what} ${t.plural} in this lab`);
    const r = engine.cluster.update(t.kind, o.metadata.namespace, o.metadata.name ?? '', (x) => ({
      ...x,
      metadata: { ...x.metadata, [field]: map },
    }));
    if ('error' in r) return fail(r.error ?? '');
    const word = added ? verbed : removed ? `un${verbed}` : `not ${verbed}`;
    return out(`${notes.map((n) => `${n}\n`).join('')}${qualifiedName(t, o.metadata.name ?? '')} ${word}\n`);
  };
}

export const labelVerb: Verb = {
  name: 'label',
  aliases: [],
  short: 'Update the labels on a resource',
  usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N',
  flags: [{ name: 'overwrite', type: 'bool' }],
  run: editMetadataMap('labels', 'labeled'),
};

export const annotateVerb: Verb = {
  name: 'annotate',
  aliases: [],
  short: 'Update the annotations on a resource',
  usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N',
  flags: [{ name: 'overwrite', type: 'bool' }],
  run: editMetadataMap('annotations', 'annotated'),
};

// `kubectl rollout restart` sets the pod template's kubectl.kubernetes.io/restartedAt annotation to
// the current time; the changed template makes the Deployment roll out new pods.
// https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/objectrestarter.go
function runRollout(a: VerbArgs, engine: Engine): KubectlOutput {
  const [sub, ...rest] = a.args;
  if (sub !== 'restart' && sub !== 'status')
    return fail(
      sub === undefined
        ? 'error: You must specify a subcommand: restart, status'
        : `error: unknown command "${sub}" for "kubectl rollout"`,
    );
  // `rollout restart deployment` without a name restarts every Deployment in the namespace.
  const reqs = parseResourceArgs(rest, false);
  const one = 'error' in reqs ? undefined : reqs[0];
  if (sub === 'restart' && one && one.names.length === 0 && one.type.kind === 'Deployment') {
    const all = listObjects(engine, one.type, a.namespace);
    if (!all.length) return fail(`error: no deployments found in namespace ${a.namespace}`);
    return all.map((o) => restart(engine, one.type, o)).reduce(joinOutputs);
  }
  const found = target({ ...a, args: rest }, engine, ['Deployment']);
  if ('err' in found) return found.err;
  const { t, o } = found;
  if (sub === 'status') return rolloutStatus(o as unknown as Deployment);
  return restart(engine, t, o);
}

function restart(engine: Engine, t: ResourceType, o: KubeObject): KubectlOutput {
  const now = rfc3339(engine.now());
  const r = engine.cluster.update(t.kind, o.metadata.namespace, o.metadata.name ?? '', (x) => {
    const spec = (x.spec ?? {}) as { template?: { metadata?: { annotations?: Record<string, string> } } };
    const template = spec.template ?? {};
    const annotations = {
      ...(template.metadata?.annotations ?? {}),
      'kubectl.kubernetes.io/restartedAt': now,
    };
    return {
      ...x,
      spec: { ...spec, template: { ...template, metadata: { ...template.metadata, annotations } } },
    };
  });
  if ('error' in r) return fail(r.error ?? '');
  return out(`${qualifiedName(t, o.metadata.name ?? '')} restarted\n`);
}

const joinOutputs = (x: KubectlOutput, y: KubectlOutput): KubectlOutput => ({
  stdout: x.stdout + y.stdout,
  stderr: x.stderr + y.stderr,
  exitCode: Math.max(x.exitCode, y.exitCode),
  connects: [...x.connects, ...y.connects],
});

// The messages of kubectl's DeploymentStatusViewer; the simulated cluster settles at once, so a
// rollout that is not complete now will not complete by waiting.
// https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go
function rolloutStatus(d: Deployment): KubectlOutput {
  const name = d.metadata?.name ?? '';
  const want = d.spec?.replicas ?? 1;
  const updated = d.status?.updatedReplicas ?? 0;
  const available = d.status?.availableReplicas ?? 0;
  if (updated >= want && available >= want && (d.status?.replicas ?? 0) <= updated)
    return out(`deployment "${name}" successfully rolled out\n`);
  const waiting =
    updated < want
      ? `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`
      : `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`;
  return {
    stdout: `${waiting}\n`,
    stderr: 'error: timed out waiting for the condition\n',
    exitCode: 1,
    connects: [],
  };
}

export const rolloutVerb: Verb = {
  name: 'rollout',
  aliases: [],
  short: 'Manage the rollout of a resource',
  usage: 'kubectl rollout (restart | status) (TYPE NAME | TYPE/NAME)',
  flags: [],
  run: runRollout,
};

function deleteOne(engine: Engine, t: ResourceType, namespace: string, name: string): string | null {
  if (t.kind === 'Endpoints' || t.kind === 'Event')
    return getObject(engine, t, namespace, name) ? null : notFound(t, name);
  const r = engine.delete(t.kind, t.namespaced ? namespace : undefined, name);
  return 'error' in r ? notFound(t, name) : null;
}

function runDelete(a: VerbArgs, engine: Engine): KubectlOutput {
  const file = str(a.flags, 'filename');
  if (file !== undefined) return applyFile(a, engine, file, 'delete');
  if (!a.args.length)
    return fail(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  const reqs = parseResourceArgs(a.args, false);
  if ('error' in reqs) return fail(reqs.error);
  const l = str(a.flags, 'selector');
  const everything = bool(a.flags, 'all');
  let stdout = '';
  const errors: string[] = [];
  for (const r of reqs) {
    let names = [...r.names];
    if (!names.length) {
      if (l === undefined && !everything)
        return fail('error: resource(s) were provided, but no name was specified');
      const sel = l === undefined ? { matchLabels: {} } : parseSelector(l);
      if ('error' in sel) return fail(`error: ${sel.error}`);
      names = listObjects(engine, r.type, a.namespace)
        .filter((o) => matchesSelector(sel, o.metadata.labels ?? {}))
        .map((o) => o.metadata.name ?? '');
    }
    for (const n of names) {
      const e = deleteOne(engine, r.type, a.namespace, n);
      if (e) errors.push(e);
      else stdout += `${r.type.kind.toLowerCase()}${r.type.group ? `.${r.type.group}` : ''} "${n}" deleted\n`;
    }
  }
  if (!stdout && !errors.length)
    return { stdout: '', stderr: 'No resources found\n', exitCode: 0, connects: [] };
  return {
    stdout,
    stderr: errors.map((e) => `${e}\n`).join(''),
    exitCode: errors.length ? 1 : 0,
    connects: [],
  };
}

export const deleteVerb: Verb = {
  name: 'delete',
  aliases: [],
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  usage: 'kubectl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)])',
  flags: [
    { name: 'filename', short: 'f', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'now', type: 'bool' },
    { name: 'force', type: 'bool' },
    { name: 'grace-period', type: 'int' },
    { name: 'wait', type: 'bool' },
  ],
  run: runDelete,
};

/** What `-f NAME` reads: a file the lab knows, or the editor's content for `-` / the editor's name. */
export function readFile(ctx: KubectlContext, name: string): string | null {
  const files = ctx.files ?? {};
  if (Object.prototype.hasOwnProperty.call(files, name)) return files[name] ?? '';
  if ((name === '-' || name === (ctx.editorName ?? 'editor.yaml')) && ctx.editorYaml !== undefined)
    return ctx.editorYaml;
  return null;
}

function applyFile(
  a: VerbArgs,
  engine: Engine,
  file: string,
  mode: 'apply' | 'create' | 'delete',
): KubectlOutput {
  const text = readFile(a.ctx, file);
  if (text === null) return fail(`error: the path "${file}" does not exist`);
  const shown = file === '-' ? 'STDIN' : file;
  if (mode === 'delete') {
    let stdout = '';
    const errors: string[] = [];
    for (const doc of parseAllDocuments(text)) {
      const v = doc.toJS() as KubeObject | null;
      if (!v || typeof v !== 'object' || !v.kind) continue;
      const t = resolveType(String(v.kind));
      const name = v.metadata?.name ?? '';
      const ns = v.metadata?.namespace ?? a.namespace;
      if (!t) {
        errors.push(
          `error: resource mapping not found for name: "${name}" namespace: "" from "${shown}": no matches for kind "${String(v.kind)}" in version "${String(v.apiVersion)}"`,
        );
        continue;
      }
      const e = deleteOne(engine, t, ns, name);
      if (e) errors.push(e.replace('(NotFound): ', `(NotFound): error when deleting "${shown}": `));
      else stdout += `${t.kind.toLowerCase()}${t.group ? `.${t.group}` : ''} "${name}" deleted\n`;
    }
    return {
      stdout,
      stderr: errors.map((e) => `${e}\n`).join(''),
      exitCode: errors.length ? 1 : 0,
      connects: [],
    };
  }
  if (mode === 'create') {
    const errors: string[] = [];
    let stdout = '';
    for (const doc of parseAllDocuments(text)) {
      const v = doc.toJS() as KubeObject | null;
      if (!v || typeof v !== 'object') continue;
      const t = resolveType(String(v.kind ?? ''));
      const name = v.metadata?.name ?? '';
      const ns = (v.metadata?.namespace as string | undefined) ?? a.namespace;
      if (t && getObject(engine, t, ns, name)) {
        errors.push(
          `Error from server (AlreadyExists): error when creating "${shown}": ${resourceName(t)} "${name}" already exists`,
        );
        continue;
      }
      const r = engine.cluster.applyObject(withNamespace(v, ns, t));
      if ('errors' in r) errors.push(errorsText(r.errors));
      else stdout += `${resultName(r.result)} created\n`;
    }
    return {
      stdout,
      stderr: errors.map((e) => `${e}\n`).join(''),
      exitCode: errors.length ? 1 : 0,
      connects: [],
    };
  }
  const withNs = a.flags.has('namespace') ? setDocNamespaces(text, a.namespace) : text;
  const r = engine.apply(withNs);
  const stdout = r.results.map((x: ApplyResultItem) => `${resultName(x)} ${x.result}\n`).join('');
  const stderr = r.errors.map((e) => `${fileErrorText(engine, e, shown)}\n`).join('');
  return { stdout, stderr, exitCode: r.errors.length ? 1 : 0, connects: [] };
}

const withNamespace = (v: KubeObject, ns: string, t: ResourceType | undefined): KubeObject =>
  t?.namespaced && !v.metadata?.namespace ? { ...v, metadata: { ...(v.metadata ?? {}), namespace: ns } } : v;

/** `kubectl apply -n NS -f FILE`: documents without a namespace go to NS. */
function setDocNamespaces(text: string, ns: string): string {
  return parseAllDocuments(text)
    .map((d) => {
      const v = d.toJS() as KubeObject | null;
      if (!v || typeof v !== 'object') return d.toString();
      const t = resolveType(String(v.kind ?? ''));
      return JSON.stringify(withNamespace(v, ns, t));
    })
    .join('\n---\n');
}

function runApply(a: VerbArgs, engine: Engine): KubectlOutput {
  const file = str(a.flags, 'filename');
  if (file === undefined)
    return fail("error: must specify one of -f and -k\n\nSee 'kubectl apply -h' for help and examples");
  return applyFile(a, engine, file, 'apply');
}

export const applyVerb: Verb = {
  name: 'apply',
  aliases: [],
  short: 'Apply a configuration to a resource by file name or stdin',
  usage: 'kubectl apply (-f FILENAME | -k DIRECTORY)',
  flags: [
    { name: 'filename', short: 'f', type: 'string' },
    { name: 'dry-run', type: 'string' },
  ],
  run: runApply,
};
