import { Suspense, useMemo, type ReactNode } from 'react';
import { describePolicy } from '../../store/labStore';
import type { Selection } from '../../store/labStore';
import { objectRef, selectConntrackUse, selectEngine, selectSnapshot } from '../../store/selectors';
import { cityModelFor } from '../map/cityModel';
import { useLab } from '../useLab';
import { lazyWithTools } from '../lazyWithTools';
import { eventsFor, type LabEvent } from './events';

// A Service's kube-proxy rules load with the lab's tools (the data plane builds them).
const ServiceRules = lazyWithTools(() => import('./ServiceRules'));

function Facts({ children }: { children: ReactNode }) {
  return <dl className="facts-grid">{children}</dl>;
}
function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

const list = (items: readonly string[], empty: string) =>
  items.length === 0 ? <span className="muted">{empty}</span> : items.map((i) => <code key={i}>{i} </code>);

/** Recent events: Type, Reason, count and Message, like `kubectl describe`'s Events section. */
function Events({ events }: { events: readonly LabEvent[] }) {
  const recent = events.slice(-8);
  return (
    <>
      <h4>Events</h4>
      {recent.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <table className="events-table" data-testid="inspector-events">
          <caption className="sr-only">Recent events, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Reason</th>
              <th scope="col">From</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((e, i) => (
              <tr key={i} className={e.type === 'Warning' ? 'event-warning' : undefined}>
                <td>{e.type}</td>
                <td>
                  {e.reason}
                  {e.count > 1 ? ` (×${e.count})` : ''}
                </td>
                <td>{e.source}</td>
                <td className="event-message">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {events.length > recent.length && (
        <p className="muted">
          {events.length - recent.length} older event(s): <code>kubectl describe</code> lists them all.
        </p>
      )}
    </>
  );
}

const conntrackText = (use: { readonly entries: number; readonly max: number } | undefined) =>
  use ? `${use.entries} of nf_conntrack_max ${use.max}` : 'none';

/** What a learner needs to know about the selected object. */
export default function SelectionDetails({ selection }: { selection: Selection }) {
  const snapshot = useLab(selectSnapshot);
  const engine = useLab(selectEngine);
  // Conntrack tables change with every connection, not only with objects: follow the lab's record.
  const conntrack = useLab(selectConntrackUse);
  const model = useMemo(() => cityModelFor(snapshot, engine), [snapshot, engine]);

  let body: ReactNode;
  if (selection.kind === 'Pod') {
    const pod = snapshot.pods.find((p) => objectRef(p) === selection.ref);
    const house = model.houses.find((h) => h.ref === selection.ref);
    body = pod ? (
      <>
        <h3>Pod {selection.ref}</h3>
        <Facts>
          <Fact term="IP">
            <code>{pod.status?.podIP ?? 'none'}</code>
          </Fact>
          <Fact term="Node">{pod.spec?.nodeName ?? 'not scheduled'}</Fact>
          <Fact term="Phase">
            {pod.status?.phase ?? 'Pending'}
            {house?.waitingForIP ? ' — waiting for an IP (ContainerCreating)' : ''}
          </Fact>
          <Fact term="Labels">
            {list(
              Object.entries(pod.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`),
              'none',
            )}
          </Fact>
          <Fact term="Containers">
            <ul className="plain">
              {(pod.spec?.containers ?? []).map((c) => (
                <li key={c.name}>
                  <code>{c.name}</code> ({c.image}){' '}
                  {(c.ports ?? [])
                    .map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`)
                    .join(', ') || 'no declared ports'}
                </li>
              ))}
            </ul>
          </Fact>
          <Fact term="Ingress isolated by">
            {list(house?.ingressPolicies ?? [], 'no policy: all ingress allowed')}
          </Fact>
          <Fact term="Egress isolated by">
            {list(house?.egressPolicies ?? [], 'no policy: all egress allowed')}
          </Fact>
        </Facts>
        {!model.enforcesPolicy && (house?.ingressPolicies.length || house?.egressPolicies.length) ? (
          <p className="inline-warning">{model.cni.title} does not enforce these policies.</p>
        ) : null}
        <Events
          events={eventsFor(snapshot.events, 'Pod', pod.metadata?.namespace, pod.metadata?.name ?? '')}
        />
      </>
    ) : (
      <p>Pod {selection.ref} no longer exists.</p>
    );
  } else if (selection.kind === 'Service') {
    const svc = snapshot.services.find((s) => objectRef(s) === selection.ref);
    const office = model.postOffices.find((o) => o.ref === selection.ref);
    const ips = new Map(model.houses.map((h) => [h.ref, h.ip]));
    body = svc ? (
      <>
        <h3>Service {selection.ref}</h3>
        <Facts>
          <Fact term="Type">{office?.type}</Fact>
          <Fact term="ClusterIP">
            <code>{svc.spec?.clusterIP ?? 'None'}</code>
          </Fact>
          <Fact term="Ports">{list(office?.ports ?? [], 'none')}</Fact>
          <Fact term="Selector">
            {list(
              Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`),
              'none (endpoints managed by hand)',
            )}
          </Fact>
          <Fact term="Ready endpoints">
            <ul className="plain">
              {(office?.endpoints ?? []).map((ref) => (
                <li key={ref}>
                  <code>{ips.get(ref) ?? '?'}</code> {ref}
                </li>
              ))}
              {office?.endpoints.length === 0 && <li className="muted">none: connections are refused</li>}
            </ul>
          </Fact>
        </Facts>
        <Suspense fallback={<p className="muted">Loading kube-proxy’s rules…</p>}>
          <ServiceRules service={selection.ref} />
        </Suspense>
      </>
    ) : (
      <p>Service {selection.ref} no longer exists.</p>
    );
  } else if (selection.kind === 'Node') {
    const d = model.districts.find((x) => x.name === selection.ref);
    const view = engine.view();
    const info = view.nodes.find((n) => n.name === selection.ref);
    const routes = info ? view.cni.routes(info, view.nodes) : [];
    body = d ? (
      <>
        <h3>Node {d.name}</h3>
        <Facts>
          <Fact term="InternalIP">
            <code>{d.internalIP}</code>
          </Fact>
          <Fact term="Pod CIDR">
            <code>{d.podCIDR}</code>
          </Fact>
          <Fact term="Pods">{model.houses.filter((h) => h.node === d.name).length}</Fact>
          <Fact term="CNI">
            {view.cni.title}: {view.cni.summary}
          </Fact>
          <Fact term="Routes (ip route)">
            <ul className="plain">
              {routes.map((r) => (
                <li key={r.text}>
                  <code>{r.text}</code>
                </li>
              ))}
            </ul>
          </Fact>
          <Fact term="Conntrack entries">{conntrackText(conntrack.find((c) => c.node === d.name))}</Fact>
        </Facts>
      </>
    ) : (
      <p>Node {selection.ref} no longer exists.</p>
    );
  } else if (selection.kind === 'NetworkPolicy') {
    const np = snapshot.networkPolicies.find((p) => objectRef(p) === selection.ref);
    const ingress = model.houses.filter((h) => h.ingressPolicies.includes(selection.ref)).map((h) => h.ref);
    const egress = model.houses.filter((h) => h.egressPolicies.includes(selection.ref)).map((h) => h.ref);
    body = np ? (
      <>
        <h3>NetworkPolicy {selection.ref}</h3>
        {!model.enforcesPolicy && (
          <p className="inline-warning">{model.cni.title} does not enforce NetworkPolicy.</p>
        )}
        <Facts>
          <Fact term="Isolates ingress of">{list(ingress, 'no pod')}</Fact>
          <Fact term="Isolates egress of">{list(egress, 'no pod')}</Fact>
        </Facts>
        <h4>In plain words</h4>
        <ul>
          {describePolicy(np).map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </>
    ) : (
      <p>NetworkPolicy {selection.ref} no longer exists.</p>
    );
  } else {
    body = (
      <>
        <h3>The outside world</h3>
        <p>
          Clients outside the cluster reach it through a NodePort or LoadBalancer Service, or the ingress
          controller behind one. With <code>externalTrafficPolicy: Cluster</code> their address is SNATed to a
          node address on the way in.
        </p>
      </>
    );
  }

  return body;
}
