import { useMemo } from 'react';
import { objectRef, selectEndpointSlices, selectServices, type ServiceObject } from '../../store/selectors';
import { useLab } from '../useLab';

// EndpointSlices name their Service in this label.
// https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#ownership
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Each port as `port/protocol → targetPort`, with the nodePort where one is allocated. */
function portTexts(service: ServiceObject): string[] {
  return (service.spec?.ports ?? []).map((p) => {
    const target = p.targetPort ?? p.port;
    const nodePort = p.nodePort ? ` (node ${p.nodePort})` : '';
    return `${p.port}/${p.protocol ?? 'TCP'} → ${target}${nodePort}`;
  });
}

function typeText(service: ServiceObject): string {
  if (service.spec?.clusterIP === 'None') return 'ClusterIP (headless)';
  return service.spec?.type ?? 'ClusterIP';
}

/** The EXTERNAL-IP column of `kubectl get services`. */
function externalText(service: ServiceObject): string {
  const spec = service.spec;
  if (spec?.type === 'ExternalName') return spec.externalName ?? '<none>';
  const addresses = [
    ...(service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? ''),
    ...(spec?.externalIPs ?? []),
  ].filter((a) => a !== '');
  if (addresses.length > 0) return addresses.join(', ');
  return spec?.type === 'LoadBalancer' ? '<pending>' : '<none>';
}

/** The Services, each with its virtual IP, ports and how many ready endpoints it spreads over. */
export function ServiceList() {
  const services = useLab(selectServices);
  const slices = useLab(selectEndpointSlices);

  const readyEndpoints = useMemo(() => {
    const counts = new Map<string, number>();
    for (const slice of slices) {
      const serviceName = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (!serviceName) continue;
      const key = `${slice.metadata?.namespace ?? ''}/${serviceName}`;
      // An endpoint with ready unset counts as ready (discovery/v1 EndpointConditions).
      const ready = (slice.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
      counts.set(key, (counts.get(key) ?? 0) + ready);
    }
    return counts;
  }, [slices]);

  const sorted = useMemo(
    () => [...services].sort((a, b) => objectRef(a).localeCompare(objectRef(b))),
    [services],
  );

  return (
    <section className="map-section" aria-labelledby="services-heading">
      <h2 id="services-heading">Services</h2>
      {/* Focusable so keyboard users can scroll it on narrow screens. */}
      <div className="table-scroll" tabIndex={0} role="group" aria-labelledby="services-heading">
        <table className="services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Type</th>
              <th scope="col">ClusterIP</th>
              <th scope="col">External IP</th>
              <th scope="col">Ports</th>
              <th scope="col">Ready endpoints</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((service) => {
              const ref = objectRef(service);
              const isExternalName = service.spec?.type === 'ExternalName';
              return (
                <tr key={ref} data-kind="Service" data-ref={ref}>
                  <th scope="row">{ref}</th>
                  <td>{typeText(service)}</td>
                  <td>
                    <code data-field="clusterIP">{service.spec?.clusterIP ?? 'None'}</code>
                  </td>
                  <td>
                    <code data-field="externalIP">{externalText(service)}</code>
                  </td>
                  <td>
                    <span className="ports">
                      {portTexts(service).map((text) => (
                        <span key={text} className="port">
                          {text}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td>{isExternalName ? '—' : (readyEndpoints.get(ref) ?? 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
