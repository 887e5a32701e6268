import { useId } from 'react';
import { internalIPOf, objectRef, type NodeObject, type PodObject } from '../../store/selectors';

function isReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Namespaces of the cluster's add-ons (CoreDNS, the ingress controller), drawn quieter than the lab's own. */
const SYSTEM_NAMESPACES: ReadonlySet<string | undefined> = new Set(['kube-system', 'ingress-nginx']);
const isSystemNamespace = (namespace: string | undefined) => SYSTEM_NAMESPACES.has(namespace);

export function PodList({ pods }: { pods: readonly PodObject[] }) {
  if (pods.length === 0) return <p className="empty">No pods.</p>;
  return (
    <ul className="pods">
      {pods.map((pod) => {
        const ref = objectRef(pod);
        const ip = pod.status?.podIP;
        const phase = pod.status?.phase ?? 'Pending';
        const ready = isReady(pod);
        return (
          <li
            key={ref}
            className={isSystemNamespace(pod.metadata?.namespace) ? 'pod pod-system' : 'pod'}
            data-kind="Pod"
            data-ref={ref}
          >
            <span className="pod-name">{pod.metadata?.name}</span>
            {ip ? (
              <code className="ip" data-field="podIP">
                {ip}
              </code>
            ) : (
              <span className="ip ip-none">no IP</span>
            )}
            <span className="pod-meta">
              <span className="pod-namespace">{pod.metadata?.namespace}</span>
              <span className={ready ? 'pod-state ready' : 'pod-state'}>
                {phase}
                {phase === 'Running' && !ready ? ', not ready' : ''}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** One node: its addresses, and the pods the scheduler bound to it. */
export function NodeDistrict({ node, pods }: { node: NodeObject; pods: readonly PodObject[] }) {
  const headingId = useId();
  const name = node.metadata?.name ?? '';
  const internalIP = internalIPOf(node);
  const podCIDR = node.spec?.podCIDR;

  return (
    <section className="district" data-kind="Node" data-ref={name} aria-labelledby={headingId}>
      <h3 id={headingId}>{name}</h3>
      <dl className="facts">
        <div>
          <dt>InternalIP</dt>
          <dd>
            <code data-field="internalIP">{internalIP ?? 'none'}</code>
          </dd>
        </div>
        <div>
          <dt>Pod CIDR</dt>
          <dd>
            <code data-field="podCIDR">{podCIDR ?? 'none'}</code>
          </dd>
        </div>
      </dl>
      <PodList pods={pods} />
    </section>
  );
}
