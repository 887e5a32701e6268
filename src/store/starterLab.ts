import type { Manifest } from '../engine';
import yaml from './starterLab.yaml?raw';
import manifest from './starterLab.yaml?manifest';

/** A lab: a name and the manifests it starts from. */
export interface Lab {
  readonly name: string;
  readonly yaml: string;
}

/**
 * The cluster a learner sees first: one Deployment behind one Service, and a client pod to send
 * requests from (the hands-on exercise of seed 003: `kubectl create deployment web --image=nginx`,
 * `kubectl expose`, `kubectl exec … -- curl web:80`). Its manifest is read at build time, so the
 * first screen draws it without loading a YAML reader.
 */
export const starterLab: Lab & { readonly manifest: Manifest } = { name: 'Starter lab', yaml, manifest };
