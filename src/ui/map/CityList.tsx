import { selectSelect } from '../../store/selectors';
import { useLab } from '../useLab';
import type { CityModel } from './cityModel';

/** The map as a list: the same objects, selectable, for screen readers and keyboard users. */
export default function CityList({ model }: { model: CityModel }) {
  const select = useLab(selectSelect);
  return (
    <>
      <ul aria-label="Nodes and their pods">
        {model.districts.map((d) => (
          <li key={d.name}>
            <button
              type="button"
              className="link-button"
              onClick={() => select({ kind: 'Node', ref: d.name })}
            >
              Node {d.name}
            </button>{' '}
            InternalIP <code>{d.internalIP}</code>, pod CIDR <code>{d.podCIDR}</code>
            <ul>
              {model.houses
                .filter((h) => h.node === d.name)
                .map((h) => (
                  <li key={h.ref}>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => select({ kind: 'Pod', ref: h.ref })}
                    >
                      Pod {h.ref}
                    </button>{' '}
                    {h.waitingForIP ? (
                      <span className="waiting-ip" data-testid="waiting-ip">
                        waiting for an IP ({h.phase}, ContainerCreating): {h.waitingForIP}
                      </span>
                    ) : (
                      <>
                        <code>{h.ip || 'no IP'}</code> {h.phase}
                        {h.ready ? '' : ', not ready'}
                      </>
                    )}
                    {h.ingressPolicies.length > 0 && `, ingress isolated by ${h.ingressPolicies.join(', ')}`}
                    {h.egressPolicies.length > 0 && `, egress isolated by ${h.egressPolicies.join(', ')}`}
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ul>
      <ul aria-label="Services">
        {model.postOffices.map((o) => (
          <li key={o.ref}>
            <button
              type="button"
              className="link-button"
              onClick={() => select({ kind: 'Service', ref: o.ref })}
            >
              Service {o.ref}
            </button>{' '}
            {o.type} <code>{o.clusterIP}</code> → {o.endpoints.length} ready endpoint(s)
          </li>
        ))}
      </ul>
      {model.policies.length > 0 && (
        <ul aria-label="NetworkPolicies">
          {model.policies.map((p) => (
            <li key={p.ref}>
              <button
                type="button"
                className="link-button"
                onClick={() => select({ kind: 'NetworkPolicy', ref: p.ref })}
              >
                NetworkPolicy {p.ref}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
