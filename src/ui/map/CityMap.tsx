import { selectNodes, selectPodsByNode } from '../../store/selectors';
import { useLab } from '../useLab';
import { NodeDistrict, PodList } from './NodeDistrict';
import { ServiceList } from './ServiceList';

/**
 * The cluster as a plain list of districts (nodes with their pods) and post offices (Services).
 * A placeholder for the D3 city map: it keeps the same test hooks (`data-testid="city-map"`,
 * `data-kind`, `data-ref`) so the drawn map can replace it without changing the tests.
 */
export function CityMap() {
  const nodes = useLab(selectNodes);
  const podsByNode = useLab(selectPodsByNode);
  const unscheduled = podsByNode.get('') ?? [];

  return (
    <div className="city-map" data-testid="city-map">
      <section className="map-section" aria-labelledby="nodes-heading">
        <h2 id="nodes-heading">Nodes and their pods</h2>
        <div className="districts">
          {nodes.map((node) => {
            const name = node.metadata?.name ?? '';
            return <NodeDistrict key={name} node={node} pods={podsByNode.get(name) ?? []} />;
          })}
        </div>
        {unscheduled.length > 0 && (
          <section className="district district-unscheduled" aria-labelledby="unscheduled-heading">
            <h3 id="unscheduled-heading">Not scheduled</h3>
            <PodList pods={unscheduled} />
          </section>
        )}
      </section>
      <ServiceList />
    </div>
  );
}
