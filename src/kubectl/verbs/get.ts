// kubectl get (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go): types, names, TYPE/NAME, `all`,
// label selectors, -A, and the table / wide / yaml / json / name printers.
import { matchesSelector, type Engine, type KubeObject } from '../../engine';
import { parseSelector } from '../selector';
import { genericObject, printJson, printYaml, sortKeys, tableRows } from '../printers';
import {
  customColumnRows,
  executeJsonPath,
  parseCustomColumns,
  parseJsonPath,
  type CustomColumns,
  type JsonPathTemplate,
} from '../jsonpath';
import {
  listObjects,
  getObject,
  notFound,
  qualifiedName,
  resolveType,
  type ResourceType,
} from '../resources';
import { tabwrite, GET_TABS } from '../tabwriter';
import { bool, fail, str, type KubectlOutput, type Verb, type VerbArgs } from '../types';

/** kubectl's `all` category: the workload kinds the lab serves. */
export const ALL_CATEGORY = ['pods', 'services', 'deployments', 'replicasets'];
export const OUTPUT_FORMATS = ['wide', 'yaml', 'json', 'name'];
/** cli-runtime's JSONPathPrintFlags formats, written `-o FORMAT=TEMPLATE`. */
const JSONPATH_FORMATS = ['jsonpath', 'jsonpath-as-json'];
/** What `-o <TAB>` offers: the plain formats and the template formats with their `=`. */
export const OUTPUT_COMPLETIONS = [
  ...OUTPUT_FORMATS,
  ...[...JSONPATH_FORMATS, 'custom-columns'].map((f) => `${f}=`),
];

/**
 * JSONPathPrintFlags.ToPrinter: `jsonpath=TEMPLATE` splits at the first `=`; an empty template is
 * refused, a template that does not parse is reported before anything is fetched.
 */
function jsonPathPrinter(
  output: string,
): { tpl: JsonPathTemplate; asJson: boolean } | { error: string } | null {
  const format = JSONPATH_FORMATS.find((f) => output === f || output.startsWith(`${f}=`));
  if (!format) return null;
  const raw = output.slice(format.length + 1);
  if (!raw) return { error: 'error: template format specified but no template given' };
  const tpl = parseJsonPath(raw);
  return 'error' in tpl ? tpl : { tpl, asJson: format === 'jsonpath-as-json' };
}

export const unknownOutput = (o: string): string =>
  `error: unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`;

export interface Request {
  readonly type: ResourceType;
  readonly names: readonly string[];
}

/** Resolves `TYPE[,TYPE] [NAME...]` or `TYPE/NAME...` into requests, or kubectl's error. */
export function parseResourceArgs(args: readonly string[], allowAll = true): Request[] | { error: string } {
  if (!args.length) return [];
  if (args.some((a) => a.includes('/'))) {
    const reqs: Request[] = [];
    for (const a of args) {
      const [t, name] = a.split('/', 2) as [string, string | undefined];
      if (!a.includes('/'))
        return {
          error:
            "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        };
      const type = resolveType(t);
      if (!type) return { error: `error: the server doesn't have a resource type "${t}"` };
      if (!name)
        return { error: `error: arguments in resource/name form must have a single resource and name` };
      reqs.push({ type, names: [name] });
    }
    return reqs;
  }
  const [types, ...names] = args as [string, ...string[]];
  const reqs: Request[] = [];
  for (const t of types.split(',').filter(Boolean)) {
    if (t === 'all' && allowAll) {
      for (const a of ALL_CATEGORY) reqs.push({ type: resolveType(a) as ResourceType, names });
      continue;
    }
    const type = resolveType(t);
    if (!type) return { error: `error: the server doesn't have a resource type "${t}"` };
    reqs.push({ type, names });
  }
  return reqs;
}

export const noResources = (namespace: string | null): string =>
  namespace ? `No resources found in ${namespace} namespace.` : 'No resources found';

function run(a: VerbArgs, engine: Engine): KubectlOutput {
  const output = str(a.flags, 'output');
  const jsonPath = output === undefined ? null : jsonPathPrinter(output);
  if (jsonPath && 'error' in jsonPath) return fail(jsonPath.error);
  let columns: CustomColumns | null = null;
  if (output === 'custom-columns' || output?.startsWith('custom-columns=')) {
    const cc = parseCustomColumns(output.slice('custom-columns='.length));
    if ('error' in cc) return fail(cc.error);
    columns = cc;
  }
  if (output !== undefined && !jsonPath && !columns && !OUTPUT_FORMATS.includes(output))
    return fail(unknownOutput(output));
  const generic = output === 'json' || output === 'yaml' || jsonPath !== null || columns !== null;
  if (!a.args.length)
    return fail(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
    );
  const reqs = parseResourceArgs(a.args);
  if ('error' in reqs) return fail(reqs.error);
  const allNs = bool(a.flags, 'all-namespaces');
  let selector = null;
  const l = str(a.flags, 'selector');
  if (l !== undefined) {
    const s = parseSelector(l);
    if ('error' in s) return fail(`error: ${s.error}`);
    selector = s;
  }
  const errors: string[] = [];
  const groups: { type: ResourceType; items: KubeObject[] }[] = [];
  for (const r of reqs) {
    let items: KubeObject[];
    if (r.names.length) {
      items = [];
      for (const n of r.names) {
        const o = getObject(engine, r.type, a.namespace, n);
        if (o) items.push(o);
        else errors.push(notFound(r.type, n));
      }
    } else items = listObjects(engine, r.type, allNs ? undefined : a.namespace);
    if (selector) items = items.filter((o) => matchesSelector(selector, o.metadata.labels ?? {}));
    const g = groups.find((x) => x.type.kind === r.type.kind);
    if (g) g.items.push(...items.filter((i) => !g.items.includes(i)));
    else groups.push({ type: r.type, items });
  }
  const all = groups.flatMap((g) => g.items);
  const single =
    reqs.length === 1 &&
    (reqs[0]?.names.length ?? 0) === 1 &&
    !a.args.some((x) => x.includes(',')) &&
    a.args.length <= 2;
  let stdout: string;
  const printErrors: string[] = [];
  if (jsonPath) {
    const r =
      single && !all.length
        ? { stdout: '' }
        : executeJsonPath(jsonPath.tpl, genericObject(all, single), {
            allowMissingKeys: a.flags.get('allow-missing-template-keys') !== false,
            asJson: jsonPath.asJson,
          });
    if ('error' in r) printErrors.push(r.error);
    stdout = 'stdout' in r ? r.stdout : '';
  } else if (columns) {
    const r =
      single && !all.length
        ? { rows: [] }
        : customColumnRows(columns, all.map(sortKeys), bool(a.flags, 'no-headers'));
    if ('error' in r) printErrors.push(r.error);
    stdout = 'rows' in r ? tabwrite(r.rows.map((row) => `${row.join('\t')}\n`).join(''), GET_TABS) : '';
  } else if (output === 'json' || output === 'yaml')
    stdout = single && !all.length ? '' : (output === 'json' ? printJson : printYaml)(all, single);
  else if (output === 'name')
    stdout = groups
      .flatMap((g) => g.items.map((o) => `${qualifiedName(g.type, o.metadata.name ?? '')}\n`))
      .join('');
  else {
    const withKind = reqs.length > 1 || a.args[0]?.split(',').includes('all') === true;
    const blocks = groups
      .filter((g) => g.items.length)
      .map((g) =>
        tabwrite(
          tableRows(g.type, g.items, engine, {
            wide: output === 'wide',
            withNamespace: allNs && g.type.namespaced,
            withKind,
            showLabels: bool(a.flags, 'show-labels'),
            noHeaders: bool(a.flags, 'no-headers'),
          })
            .map((r) => `${r.join('\t')}\n`)
            .join(''),
          GET_TABS,
        ),
      );
    stdout = blocks.join('\n');
  }
  errors.push(...printErrors);
  let stderr = errors.map((e) => (e.endsWith('\n') ? e : `${e}\n`)).join('');
  if (!all.length && !errors.length && !generic) {
    const namespaced = groups.some((g) => g.type.namespaced);
    stderr += `${noResources(allNs || !namespaced ? null : a.namespace)}\n`;
  }
  return { stdout, stderr, exitCode: errors.length ? 1 : 0, connects: [] };
}

export const getVerb: Verb = {
  name: 'get',
  aliases: [],
  short: 'Display one or many resources',
  usage:
    'kubectl get [(-o|--output=)json|yaml|name|wide|jsonpath=...|jsonpath-as-json=...|custom-columns=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]',
  flags: [
    { name: 'output', short: 'o', type: 'string' },
    { name: 'allow-missing-template-keys', type: 'bool' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'show-labels', type: 'bool' },
    { name: 'no-headers', type: 'bool' },
    { name: 'watch', short: 'w', type: 'bool' },
  ],
  run,
};
