import {
  select,
  zoom,
  zoomIdentity,
  zoomTransform,
  type Selection as D3Selection,
  type ZoomBehavior,
} from 'd3';
import type { Hop } from '../../store/labStore';
import {
  HOUSE_H,
  HOUSE_W,
  OFFICE_H,
  OFFICE_W,
  SIGN_H,
  SIGN_W,
  type CityModel,
  type District,
  type House,
  type PostOffice,
} from './cityModel';
import type { FleetCar, FleetLayer } from './fleetLayer';

// The city map as a plain D3 controller (xyflow's XYPanZoom pattern): React mounts it and feeds
// it data; everything drawn lives here. Every drawn object carries data-kind and data-ref.

export interface MapSelection {
  readonly kind: string;
  readonly ref: string;
}

export interface TrafficState {
  readonly hops: readonly Hop[];
  readonly step: number;
  /** Hops per second (the car drives one hop in 1/speed seconds, at most 0.8 s). */
  readonly speed: number;
}

export interface CityMapOptions {
  readonly domNode: SVGSVGElement;
  readonly onSelect: (selection: MapSelection) => void;
  /** `prefers-reduced-motion`: no building animations, the car jumps from hop to hop. */
  readonly reducedMotion: () => boolean;
}

export interface CityMapController {
  update(model: CityModel): void;
  setSelection(selection: MapSelection | null): void;
  /** The learner's traced connection: one car with its trail, and the hop's objects highlighted. */
  setTraffic(traffic: TrafficState | null): void;
  /**
   * Further cars driving their own traces, without trails or highlights: many packets in flight
   * at once, drawn on one canvas over the map (fleetLayer.ts). The UI benchmark (bench/ui.ts)
   * drives 200 through the `?debug` hook (labDebug.ts).
   */
  setFleet(fleet: readonly TrafficState[]): void;
  fit(): void;
  zoomBy(factor: number): void;
  destroy(): void;
}

type Svg = D3Selection<SVGSVGElement, unknown, null, undefined>;
type G = D3Selection<SVGGElement, unknown, null, undefined>;

const PROTOCOL_CLASS: Readonly<Record<string, string>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

const ROAD_LABEL: Readonly<Record<CityModel['roadStyle'], string>> = {
  tunnel: 'VXLAN tunnel',
  routed: 'routed road (BGP)',
  ebpf: 'eBPF road',
};

/** How long a new house takes to rise into place and a demolished one to fade (cityMap.css). */
const HOUSE_MS = 450;

const stripPort = (service: string) => service.replace(/:[^/:]*$/, '');

/** Makes a drawn object a keyboard-reachable button that selects `kind`/`ref`. */
function selectable<E extends SVGElement, D>(
  sel: D3Selection<E, D, SVGGElement, unknown>,
  label: (d: D) => string,
): void {
  // The name comes from the object's <title> (SVG-AAM), which is also its tooltip; the short
  // label is kept as data for the list view's wording.
  sel.attr('tabindex', 0).attr('role', 'button').attr('data-label', label);
}

export function createCityMap({ domNode, onSelect, reducedMotion }: CityMapOptions): CityMapController {
  const svg: Svg = select(domNode);
  svg.selectAll('*').remove();
  const viewport: G = svg.append('g').attr('class', 'viewport');
  const layer = (name: string): G => viewport.append('g').attr('class', `layer layer-${name}`);
  const roadsLayer = layer('roads');
  const gateLayer = layer('gate');
  const districtsLayer = layer('districts');
  const deliveryLayer = layer('delivery');
  const officesLayer = layer('offices');
  const policiesLayer = layer('policies');
  const warningLayer = layer('warning');
  const trafficLayer = layer('traffic');

  let model: CityModel | null = null;
  let fitted = false;
  let userMoved = false;
  let selection: MapSelection | null = null;
  let traffic: TrafficState | null = null;
  let fleet: readonly TrafficState[] = [];
  let fleetLayer: FleetLayer | null = null;
  let fleetModule: typeof import('./fleetLayer') | null = null;
  let fleetLoading: Promise<void> | null = null;
  let destroyed = false;
  // What each car element last showed, so a redraw touches only the cars that moved.
  const drawnCars = new WeakMap<Element, { hop: Hop; at: Point; speed: number; animate: boolean }>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const id = setTimeout(() => {
      timers.delete(id);
      fn();
    }, ms);
    timers.add(id);
  };

  const zoomBehavior: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.15, 4])
    // The box the map is drawn in, from layout (jsdom has none: the snapshot tests' 800 × 500).
    .extent(() => [
      [0, 0],
      [domNode.clientWidth || 800, domNode.clientHeight || 500],
    ])
    .on('zoom', (event: { transform: { x: number; y: number; k: number }; sourceEvent: unknown }) => {
      // Once the learner pans or zooms, resizing no longer refits the view.
      if (event.sourceEvent) userMoved = true;
      viewport.attr('transform', event.transform.toString());
      fleetLayer?.setTransform(event.transform);
    });
  svg.call(zoomBehavior).on('dblclick.zoom', null);
  // Fit to the box the layout finally gives the map (it settles after the first paint).
  const resizeObserver =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver(() => {
          fleetLayer?.resize();
          if (!userMoved) fit();
        });
  resizeObserver?.observe(domNode);

  // Selection by pointer and keyboard, delegated from the root.
  const selectFrom = (target: EventTarget | null) => {
    const el = target instanceof Element ? target.closest('[data-select-kind]') : null;
    if (!el) return false;
    const kind = el.getAttribute('data-select-kind');
    const ref = el.getAttribute('data-select-ref');
    if (kind && ref !== null) onSelect({ kind, ref });
    return true;
  };
  svg.on('click.select', (event: MouseEvent) => {
    selectFrom(event.target);
  });
  svg.on('keydown.select', (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    if (selectFrom(event.target)) event.preventDefault();
  });

  function drawGate(m: CityModel) {
    const gate = gateLayer
      .selectAll<SVGGElement, CityModel>('g.city-gate')
      .data([m])
      .join((enter) => {
        const g = enter
          .append('g')
          .attr('class', 'city-gate')
          .attr('data-kind', 'External')
          .attr('data-ref', 'external')
          .attr('data-select-kind', 'External')
          .attr('data-select-ref', 'external');
        selectable(g, () => 'The outside world: clients outside the cluster enter through the city gate');
        g.append('title').text(
          'The outside world. Clients outside the cluster reach pods through a Service of type NodePort or LoadBalancer, or through the Ingress controller (the city gate).',
        );
        g.append('rect').attr('class', 'gate-wall').attr('rx', 10);
        g.append('text').attr('class', 'gate-label').attr('text-anchor', 'middle');
        g.append('text').attr('class', 'gate-sub').attr('text-anchor', 'middle');
        return g;
      });
    gate
      .select('rect')
      .attr('x', m.outside.x - 46)
      .attr('y', m.outside.y - 50)
      .attr('width', 92)
      .attr('height', 100);
    gate
      .select('text.gate-label')
      .attr('x', m.outside.x)
      .attr('y', m.outside.y - 6)
      .text('Outside');
    gate
      .select('text.gate-sub')
      .attr('x', m.outside.x)
      .attr('y', m.outside.y + 14)
      .text('world');
  }

  function drawRoads(m: CityModel) {
    roadsLayer
      .selectAll<SVGGElement, CityModel['roads'][number]>('g.road')
      .data(m.roads, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('data-kind', 'Road');
        g.append('title');
        g.append('path').attr('class', 'road-bed');
        g.append('path').attr('class', 'road-line');
        g.append('text').attr('class', 'road-label').attr('text-anchor', 'middle');
        return g;
      })
      .attr('class', `road road-${m.roadStyle}`)
      .attr('data-ref', (d) => d.id)
      .each(function (d) {
        const g = select(this);
        const low = Math.max(d.y1, d.y2) + d.bend;
        const path = `M${d.x1},${d.y1} C${d.x1},${low} ${d.x2},${low} ${d.x2},${d.y2}`;
        g.select('title').text(
          `${d.from} ↔ ${d.to}: ${ROAD_LABEL[m.roadStyle]} (${m.cni.title}). ${m.cni.summary}`,
        );
        g.selectAll('path').attr('d', path);
        g.select('text')
          .attr('x', (d.x1 + d.x2) / 2)
          .attr('y', low - 4)
          .text(ROAD_LABEL[m.roadStyle]);
      });
  }

  function drawDistricts(m: CityModel) {
    const housesByNode = new Map<string, House[]>();
    for (const h of m.houses) {
      const list = housesByNode.get(h.node) ?? [];
      list.push(h);
      housesByNode.set(h.node, list);
    }
    const districts = districtsLayer
      .selectAll<SVGGElement, District>('g.district')
      .data(m.districts, (d) => d.name)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'district').attr('data-kind', 'Node').attr('role', 'group');
        g.append('rect').attr('class', 'district-ground').attr('rx', 14);
        const sign = g.append('g').attr('class', 'district-sign').attr('data-select-kind', 'Node');
        sign.append('title');
        sign.append('rect').attr('class', 'sign-board').attr('rx', 6);
        sign.append('text').attr('class', 'district-name');
        const ip = sign.append('text').attr('class', 'district-fact district-ip');
        ip.append('tspan').text('InternalIP ');
        ip.append('tspan').attr('class', 'mono').attr('data-field', 'internalIP');
        const cidr = sign.append('text').attr('class', 'district-fact district-cidr');
        cidr.append('tspan').text('pod CIDR ');
        cidr.append('tspan').attr('class', 'mono').attr('data-field', 'podCIDR');
        g.append('g').attr('class', 'route-sign');
        g.append('g').attr('class', 'houses');
        return g;
      })
      .attr('data-ref', (d) => d.name)
      .attr('aria-label', (d) => `District ${d.name}`);

    districts
      .select('rect.district-ground')
      .attr('x', (d) => d.x)
      .attr('y', (d) => d.y)
      .attr('width', (d) => d.width)
      .attr('height', (d) => d.height);
    const sign = districts.select<SVGGElement>('g.district-sign').attr('data-select-ref', (d) => d.name);
    selectable(
      sign,
      (d) => `Node ${d.name}, InternalIP ${d.internalIP}, pod CIDR ${d.podCIDR}. Press Enter to inspect.`,
    );
    sign
      .select('title')
      .text(
        (d) =>
          `Node ${d.name}: a district of the city. InternalIP ${d.internalIP}; the pods scheduled here get addresses from its pod CIDR ${d.podCIDR}.`,
      );
    sign
      .select('rect.sign-board')
      .attr('x', (d) => d.x + 10)
      .attr('y', (d) => d.y + 8)
      .attr('width', 184)
      .attr('height', 60);
    sign
      .select('text.district-name')
      .attr('x', (d) => d.x + 20)
      .attr('y', (d) => d.y + 28)
      .text((d) => d.name);
    sign
      .select('text.district-ip')
      .attr('x', (d) => d.x + 20)
      .attr('y', (d) => d.y + 45);
    sign.select('text.district-ip tspan[data-field]').text((d) => d.internalIP);
    sign
      .select('text.district-cidr')
      .attr('x', (d) => d.x + 20)
      .attr('y', (d) => d.y + 61);
    sign.select('text.district-cidr tspan[data-field]').text((d) => d.podCIDR);

    // Calico's BGP-learned routes, as a route sign in each district.
    districts.select('g.route-sign').each(function (d) {
      const g = select(this);
      const routes = m.roadStyle === 'routed' ? d.routes : [];
      g.attr('data-kind', routes.length ? 'RouteSign' : null).attr('data-ref', routes.length ? d.name : null);
      g.selectAll('title')
        .data(routes.length ? [routes.join('\n')] : [])
        .join('title')
        .text((t) => `Routes on ${d.name} learned over BGP:\n${t}`);
      g.selectAll<SVGTextElement, string>('text')
        .data(routes.length ? ['Routes (BGP)', ...routes.slice(0, 3).map(shortRoute)] : [])
        .join('text')
        .attr('class', (_t, i) => (i === 0 ? 'route-title' : 'route-line mono'))
        .attr('x', d.x + 200)
        .attr('y', (_t, i) => d.y + 22 + i * 14)
        .text((t) => t);
    });

    districts.select<SVGGElement>('g.houses').each(function (d) {
      drawHouses(select(this), housesByNode.get(d.name) ?? [], m);
    });
  }

  function drawHouses(
    parent: D3Selection<SVGGElement, unknown, null, undefined>,
    houses: House[],
    m: CityModel,
  ) {
    const animate = !reducedMotion();
    parent
      .selectAll<SVGGElement, House>('g.house')
      .data(houses, (d) => d.ref)
      .join(
        (enter) => {
          const g = enter
            .append('g')
            .attr('class', 'house')
            .attr('data-kind', 'Pod')
            .attr('data-select-kind', 'Pod');
          g.append('title');
          g.append('path')
            .attr('class', 'house-roof')
            .attr('d', `M0,22 L${HOUSE_W / 2},0 L${HOUSE_W},22 Z`);
          g.append('rect')
            .attr('class', 'house-body')
            .attr('y', 22)
            .attr('width', HOUSE_W)
            .attr('height', HOUSE_H - 22);
          g.append('text').attr('class', 'house-name').attr('x', 8).attr('y', 38);
          g.append('g').attr('class', 'rooms');
          g.append('rect')
            .attr('class', 'plate')
            .attr('x', 8)
            .attr('y', HOUSE_H - 24)
            .attr('width', HOUSE_W - 16)
            .attr('height', 18)
            .attr('rx', 3);
          g.append('text')
            .attr('class', 'plate-text mono')
            .attr('data-field', 'podIP')
            .attr('x', HOUSE_W / 2)
            .attr('y', HOUSE_H - 11)
            .attr('text-anchor', 'middle');
          g.append('g').attr('class', 'gates');
          return g;
        },
        (update) => update,
        (exit) => {
          // Demolished: out of the test hooks at once, faded out by CSS, then removed.
          exit
            .attr('data-kind', null)
            .attr('data-select-kind', null)
            .attr('tabindex', null)
            .attr('role', null)
            .attr('aria-hidden', 'true')
            .classed('demolished', true);
          if (animate) exit.each((_d, i, nodes) => later(HOUSE_MS, () => nodes[i]?.remove()));
          else exit.remove();
          return exit;
        },
      )
      // A new house rises into place (a CSS animation of the `translate` property, which composes
      // with the position in the transform attribute); D3 only sets the final state.
      .classed('house-new', function () {
        return animate && !this.hasAttribute('transform');
      })
      .attr('transform', (d) => `translate(${d.x},${d.y})`)
      .attr(
        'class',
        (d) => `house role-${d.role}${d.ready ? '' : ' not-ready'}${d.waitingForIP ? ' no-ip' : ''}`,
      )
      .attr('data-ref', (d) => d.ref)
      .attr('data-select-ref', (d) => d.ref)
      .call((s) =>
        selectable(
          s,
          (d) =>
            `Pod ${d.ref}, IP ${d.ip || 'none'}, ${d.phase}${d.waitingForIP ? ', waiting for an IP' : d.ready ? '' : ', not ready'}`,
        ),
      )
      .each(function (d) {
        const g = select(this);
        const role =
          d.role === 'directory'
            ? ' It serves the city directory (CoreDNS).'
            : d.role === 'gate'
              ? ' It is the city gate (the ingress controller).'
              : '';
        // Waiting for an IP (the CNI could not set up the sandbox, e.g. the node's range is full)
        // is not the same as running but not ready: the containers have not even been created.
        g.select('title').text(
          d.waitingForIP
            ? `Pod ${d.ref} on ${d.node}: waiting for an IP, ${d.phase} (ContainerCreating). The kubelet cannot create the pod's sandbox until the CNI plugin assigns an address from ${d.node}'s pod range; it keeps retrying. ${d.waitingForIP}`
            : `Pod ${d.ref} on ${d.node}: address ${d.ip || 'none yet'}, ${d.phase}${d.ready ? ', ready' : ', not ready'}. ` +
                `${d.containers.length} container(s) share this one address: ${d.containers.join(', ')}.${role}`,
        );
        g.select('text.house-name').text(truncate(d.name, 20));
        g.select('rect.plate').classed('plate-waiting', d.waitingForIP !== null);
        g.select('text.plate-text').text(d.waitingForIP ? '⚠ waiting for an IP' : d.ip || 'no IP');
        const rooms = d.containers.slice(0, 4);
        const roomW = (HOUSE_W - 16 - (rooms.length - 1) * 4) / Math.max(1, rooms.length);
        const room = g
          .select('g.rooms')
          .selectAll<SVGGElement, string>('g.room')
          .data(rooms)
          .join((enter) => {
            const r = enter.append('g').attr('class', 'room');
            r.append('rect').attr('rx', 2);
            r.append('text');
            return r;
          });
        room
          .select('rect')
          .attr('x', (_c, i) => 8 + i * (roomW + 4))
          .attr('y', 44)
          .attr('width', roomW)
          .attr('height', 22);
        room
          .select('text')
          .attr('x', (_c, i) => 12 + i * (roomW + 4))
          .attr('y', 59)
          .text((c) => truncate(c, Math.max(3, Math.floor(roomW / 6.5))));
        drawGates(g, d, m);
        drawCourier(g, d);
      });
  }

  /**
   * A meshed pod's sidecar proxy as a courier at the house's door: every connection in or out of
   * the pod passes it (Istio: istio-init's iptables rules send outbound traffic to Envoy on 15001
   * and inbound on 15006, https://istio.io/latest/docs/ops/deployment/application-requirements/;
   * Linkerd: 4140 and 4143, https://linkerd.io/2/reference/architecture/).
   */
  function drawCourier(g: D3Selection<SVGGElement, unknown, null, undefined>, d: House) {
    const courier = g
      .selectAll<SVGGElement, House>('g.courier')
      .data(d.sidecar ? [d] : [], (x) => x.ref)
      .join((enter) => {
        const e = enter.append('g').attr('data-kind', 'Sidecar');
        e.append('title');
        e.append('rect')
          .attr('class', 'courier-parcel')
          .attr('x', -11)
          .attr('y', -3)
          .attr('width', 7)
          .attr('height', 6);
        e.append('path').attr('class', 'courier-body').attr('d', 'M-4,10 L-4,1 Q0,-3 4,1 L4,10 Z');
        e.append('circle').attr('class', 'courier-head').attr('cy', -4).attr('r', 3.5);
        return e;
      })
      .attr('class', (x) => `courier courier-${x.sidecar ?? ''}`)
      .attr('data-ref', (x) => x.ref)
      .attr('transform', `translate(${HOUSE_W - 14},${HOUSE_H})`);
    courier.select('title').text((x) => {
      const [proxy, out, inbound] =
        x.sidecar === 'linkerd' ? ['linkerd-proxy', 4140, 4143] : ['istio-proxy (Envoy)', 15001, 15006];
      return (
        `Sidecar ${proxy} in ${x.ref}: the courier at the door. Every connection out of the pod goes to it ` +
        `(port ${out}) and every connection in arrives at it (port ${inbound}); between two meshed pods it ` +
        `carries the traffic in mutual TLS.`
      );
    });
  }

  function drawGates(g: D3Selection<SVGGElement, unknown, null, undefined>, d: House, m: CityModel) {
    const gates = [
      ...(d.ingressPolicies.length ? [{ dir: 'ingress' as const, policies: d.ingressPolicies }] : []),
      ...(d.egressPolicies.length ? [{ dir: 'egress' as const, policies: d.egressPolicies }] : []),
    ];
    const gate = g
      .select('g.gates')
      .selectAll<SVGGElement, (typeof gates)[number]>('g.gate')
      .data(gates, (x) => x.dir)
      .join((enter) => {
        const e = enter.append('g');
        e.append('title');
        e.append('rect').attr('width', 12).attr('height', 34).attr('rx', 2);
        e.append('text').attr('class', 'gate-text').attr('text-anchor', 'middle');
        return e;
      })
      .attr('class', (x) => `gate gate-${x.dir}${m.enforcesPolicy ? '' : ' gate-disabled'}`)
      .attr('data-kind', 'PolicyGate')
      .attr('data-ref', (x) => `${d.ref}#${x.dir}`);
    gate
      .select('rect')
      .attr('x', (x) => (x.dir === 'ingress' ? -8 : HOUSE_W - 4))
      .attr('y', 30);
    gate
      .select('text')
      .attr('x', (x) => (x.dir === 'ingress' ? -2 : HOUSE_W + 2))
      .attr('y', 76)
      .text((x) => (m.enforcesPolicy ? (x.dir === 'ingress' ? 'in' : 'out') : '⚠'));
    gate
      .select('title')
      .text(
        (x) =>
          `${x.dir === 'ingress' ? 'Ingress' : 'Egress'} gate: ${d.ref} is isolated for ${x.dir} by ${x.policies.join(', ')}; only what those policies allow gets ${x.dir === 'ingress' ? 'in' : 'out'}.` +
          (m.enforcesPolicy
            ? ''
            : ` Disabled: ${m.cni.title} does not enforce NetworkPolicy, so nothing is blocked.`),
      );
  }

  function drawOffices(m: CityModel) {
    const offices = officesLayer
      .selectAll<SVGGElement, PostOffice>('g.office')
      .data(m.postOffices, (d) => d.ref)
      .join((enter) => {
        const g = enter.append('g').attr('data-kind', 'Service').attr('data-select-kind', 'Service');
        g.append('title');
        g.append('rect')
          .attr('class', 'office-body')
          .attr('width', OFFICE_W)
          .attr('height', OFFICE_H)
          .attr('rx', 8);
        g.append('text').attr('class', 'office-icon').attr('x', 10).attr('y', 24);
        g.append('text').attr('class', 'office-name').attr('x', 34).attr('y', 22);
        g.append('text')
          .attr('class', 'office-ip mono')
          .attr('data-field', 'clusterIP')
          .attr('x', 10)
          .attr('y', 44);
        g.append('text').attr('class', 'office-ports').attr('x', 10).attr('y', 62);
        return g;
      })
      .attr('class', (d) => `office role-${d.role}`)
      .attr('data-ref', (d) => d.ref)
      .attr('data-select-ref', (d) => d.ref)
      .attr('transform', (d) => `translate(${d.x},${d.y})`)
      .call((s) =>
        selectable(
          s,
          (d) =>
            `Service ${d.ref}, ${d.type}, ClusterIP ${d.clusterIP}, ${d.endpoints.length} ready endpoint(s)`,
        ),
      );
    offices.select('title').text((d) => {
      const what =
        d.role === 'directory'
          ? 'The city directory: CoreDNS answers name lookups (web.demo.svc.cluster.local → ClusterIP) behind this Service.'
          : d.role === 'gate'
            ? 'The city gate: the ingress controller, reached from outside through this LoadBalancer Service.'
            : 'A post office: a stable virtual address (ClusterIP) that kube-proxy rewrites to one of the ready pods.';
      return `Service ${d.ref} (${d.type}), ClusterIP ${d.clusterIP}, ports ${d.ports.join(', ') || 'none'}. ${what} Delivers to ${d.endpoints.length} ready endpoint(s).`;
    });
    offices
      .select('text.office-icon')
      .text((d) => (d.role === 'directory' ? '☰' : d.role === 'gate' ? '⇆' : '✉'));
    offices.select('text.office-name').text((d) => truncate(d.ref, 22));
    offices.select('text.office-ip').text((d) => d.clusterIP);
    offices.select('text.office-ports').text((d) => truncate(d.ports.join(', ') || 'no ports', 28));

    // Delivery lines: a Service to each pod behind a ready endpoint.
    const houseByRef = new Map(m.houses.map((h) => [h.ref, h]));
    const lines = m.postOffices.flatMap((o) =>
      o.endpoints.flatMap((ref) => {
        const h = houseByRef.get(ref);
        return h ? [{ id: `${o.ref}>${ref}`, service: o.ref, pod: ref, o, h }] : [];
      }),
    );
    deliveryLayer
      .selectAll<SVGLineElement, (typeof lines)[number]>('line.delivery')
      .data(lines, (d) => d.id)
      .join('line')
      .attr('class', 'delivery')
      .attr('data-kind', 'Delivery')
      .attr('data-ref', (d) => d.id)
      .attr('data-service', (d) => d.service)
      .attr('x1', (d) => d.o.x + OFFICE_W / 2)
      .attr('y1', (d) => d.o.y)
      .attr('x2', (d) => d.h.x + HOUSE_W / 2)
      .attr('y2', (d) => d.h.y + HOUSE_H);
  }

  function drawPolicies(m: CityModel) {
    const signs = policiesLayer
      .selectAll<SVGGElement, CityModel['policies'][number]>('g.policy-sign')
      .data(m.policies, (d) => d.ref)
      .join((enter) => {
        const g = enter
          .append('g')
          .attr('class', 'policy-sign')
          .attr('data-kind', 'NetworkPolicy')
          .attr('data-select-kind', 'NetworkPolicy');
        g.append('title');
        g.append('rect').attr('width', SIGN_W).attr('height', SIGN_H).attr('rx', 4);
        g.append('text').attr('x', 8).attr('y', 19);
        return g;
      })
      .attr('data-ref', (d) => d.ref)
      .attr('data-select-ref', (d) => d.ref)
      .attr('transform', (d) => `translate(${d.x},${d.y})`)
      .classed('gate-disabled', !m.enforcesPolicy)
      .call((s) => selectable(s, (d) => `NetworkPolicy ${d.ref}`));
    signs
      .select('title')
      .text(
        (d) =>
          `NetworkPolicy ${d.ref}: the rules of the gates at the houses it selects.` +
          (m.enforcesPolicy ? '' : ` ${m.cni.title} does not enforce it.`),
      );
    signs.select('text').text((d) => `⛨ ${truncate(d.ref, 24)}`);
  }

  function drawWarning(m: CityModel) {
    const show = !m.enforcesPolicy;
    const w = warningLayer
      .selectAll<SVGGElement, CityModel>('g.policy-warning')
      .data(show ? [m] : [])
      .join((enter) => {
        const g = enter
          .append('g')
          .attr('class', 'policy-warning')
          .attr('data-kind', 'Warning')
          .attr('data-ref', 'policy-not-enforced');
        g.append('rect').attr('rx', 6).attr('height', 26);
        g.append('text').attr('x', 10).attr('y', 18);
        return g;
      });
    const last = m.districts.reduce((y, d) => Math.max(y, d.y + d.height), 0);
    w.attr('transform', `translate(${m.districts[0]?.x ?? 150},${last + 8})`);
    w.select('rect').attr('width', 560);
    w.select('text').text(
      `⚠ ${m.cni.title} does not enforce NetworkPolicy: every gate is drawn open (disabled).`,
    );
  }

  /** Cars and trail. The learner's trace is car `trace`; fleet cars follow it in `fleet` order. */
  function drawTraffic() {
    const m = model;
    if (!m) return;
    const index = indexOf(m);
    // Highlight what the learner's current hop touches (with reduced motion, this is the whole
    // animation).
    viewport.selectAll('.hop-current').classed('hop-current', false);
    const traceCar = traffic ? carAt('trace', traffic, index) : null;
    const hop = traceCar?.hop;
    if (hop) {
      const targets: string[] = [];
      if (hop.pod) targets.push(`[data-kind="Pod"][data-ref="${cssEscape(hop.pod)}"]`);
      if (hop.service) targets.push(`[data-kind="Service"][data-ref="${cssEscape(stripPort(hop.service))}"]`);
      if (hop.node && !hop.pod)
        targets.push(`[data-kind="Node"][data-ref="${cssEscape(hop.node)}"] .district-ground`);
      if (targets.length) viewport.selectAll(targets.join(',')).classed('hop-current', true);
    }
    trafficLayer
      .selectAll<SVGPolylineElement, Point[]>('polyline.trail')
      .data(traceCar ? [traceCar.trail] : [])
      .join('polyline')
      .attr('class', 'trail')
      .attr('data-kind', 'Trail')
      .attr('data-ref', 'trace')
      .attr('points', (p) => p.map((q) => `${q.x},${q.y}`).join(' '));
    drawCars(traceCar ? [traceCar] : []);
    drawFleet(index);
  }

  function drawFleet(index: CityIndex) {
    if (!fleet.length) {
      fleetLayer?.destroy();
      fleetLayer = null;
      return;
    }
    if (!fleetLayer) {
      // The canvas layer loads with the first fleet (a batch of requests): a first visit has none.
      if (!fleetModule) {
        fleetLoading ??= import('./fleetLayer').then((m) => {
          fleetModule = m;
          if (!destroyed) drawTraffic();
        });
        return;
      }
      fleetLayer = fleetModule.createFleetLayer(domNode);
      fleetLayer.setTransform(zoomTransform(domNode));
    }
    const animate = !reducedMotion();
    const cars: FleetCar[] = [];
    fleet.forEach((f, i) => {
      const c = carAt(`fleet-${i}`, f, index);
      if (c)
        cars.push({
          id: c.id,
          x: c.at.x,
          y: c.at.y,
          protocol: c.hop.packet.protocol,
          dropped: c.hop.dropped === true,
          durationMs: animate ? Math.min(800, 900 / c.speed) : 0,
        });
    });
    fleetLayer.setCars(cars);
  }

  function drawCars(cars: readonly Car[]) {
    const animate = !reducedMotion();
    const car = trafficLayer
      .selectAll<SVGGElement, Car>('g.car')
      .data(cars, (d) => d.id)
      .join((enter) => {
        const g = enter
          .append('g')
          .attr('data-kind', 'Car')
          .attr('data-ref', (d) => d.id);
        g.append('title');
        g.append('rect')
          .attr('class', 'car-body')
          .attr('x', -14)
          .attr('y', -9)
          .attr('width', 28)
          .attr('height', 14)
          .attr('rx', 4);
        g.append('circle').attr('class', 'wheel').attr('cx', -8).attr('cy', 6).attr('r', 3.5);
        g.append('circle').attr('class', 'wheel').attr('cx', 8).attr('cy', 6).attr('r', 3.5);
        return g;
      });
    // Only what changed is written: with a fleet of cars the map updates a few attributes a step.
    car.each(function (d) {
      const g = select(this);
      const last = drawnCars.get(this);
      if (
        last &&
        last.hop === d.hop &&
        last.at === d.at &&
        last.speed === d.speed &&
        last.animate === animate
      )
        return;
      drawnCars.set(this, { hop: d.hop, at: d.at, speed: d.speed, animate });
      g.attr(
        'class',
        `car car-${PROTOCOL_CLASS[d.hop.packet.protocol] ?? 'tcp'}${d.hop.dropped ? ' car-dropped' : ''}`,
      )
        .attr('data-step', d.step)
        .attr('data-hop-kind', d.hop.kind)
        .attr('data-dropped', d.hop.dropped ? 'true' : null);
      // The car drives by a CSS transition of `transform` (no per-frame work in script); with
      // reduced motion the duration is zero and it jumps from hop to hop.
      g.style('transition-duration', `${animate ? Math.round(Math.min(800, 900 / d.speed)) : 0}ms`).style(
        'transform',
        `translate(${d.at.x}px,${d.at.y}px)`,
      );
      g.select('title').text(`${d.hop.packet.protocol} packet at ${d.hop.where}: ${d.hop.what}`);
      const reason = `Dropped: ${d.hop.what}`;
      const mark = g
        .selectAll<SVGGElement, Hop>('g.dropped')
        .data(d.hop.dropped ? [d.hop] : [])
        .join((enter) => {
          const e = enter.append('g').attr('class', 'dropped').attr('data-kind', 'DropMarker');
          e.append('path').attr('d', 'M-10,-22 L10,-2 M10,-22 L-10,-2');
          e.append('rect')
            .attr('class', 'drop-bg')
            .attr('x', 14)
            .attr('y', -26)
            .attr('height', 20)
            .attr('rx', 4);
          e.append('text').attr('x', 20).attr('y', -12);
          return e;
        })
        .attr('data-ref', d.id)
        .attr('data-reason', reason);
      mark.select('text').text(truncate(reason, 70));
      mark.select('rect.drop-bg').attr('width', Math.min(70, reason.length) * 6.2 + 12);
    });
  }

  function applySelection() {
    viewport.selectAll('.selected').classed('selected', false);
    viewport.selectAll('line.delivery').classed('delivery-active', false);
    if (!selection) return;
    const { kind, ref } = selection;
    viewport
      .selectAll(`[data-select-kind="${cssEscape(kind)}"][data-select-ref="${cssEscape(ref)}"]`)
      .classed('selected', true);
    if (kind === 'Service')
      viewport.selectAll(`line.delivery[data-service="${cssEscape(ref)}"]`).classed('delivery-active', true);
  }

  function fit() {
    if (!model) return;
    const w = domNode.clientWidth || 800;
    const h = domNode.clientHeight || 500;
    const k = Math.min(w / model.width, h / model.height, 1.5) * 0.96;
    const tx = (w - model.width * k) / 2;
    const ty = (h - model.height * k) / 2;
    svg.call(zoomBehavior.transform, zoomIdentity.translate(tx, ty).scale(k));
  }

  return {
    update(next) {
      model = next;
      drawRoads(next);
      drawGate(next);
      drawDistricts(next);
      drawOffices(next);
      drawPolicies(next);
      drawWarning(next);
      // A button's name is its aria-label; the drawn text would otherwise be read twice (and
      // truncated labels would not match the name: WCAG 2.5.3).
      viewport.selectAll('[role="button"] text').attr('aria-hidden', 'true');
      applySelection();
      drawTraffic();
      if (!fitted) {
        fitted = true;
        fit();
      }
    },
    setSelection(next) {
      selection = next;
      applySelection();
    },
    setTraffic(next) {
      traffic = next;
      drawTraffic();
    },
    setFleet(next) {
      fleet = next;
      drawTraffic();
    },
    fit,
    zoomBy(factor) {
      svg.call(zoomBehavior.scaleBy, factor);
    },
    destroy() {
      destroyed = true;
      resizeObserver?.disconnect();
      fleetLayer?.destroy();
      fleetLayer = null;
      for (const id of timers) clearTimeout(id);
      timers.clear();
      svg.on('.zoom', null).on('click.select', null).on('keydown.select', null);
      svg.selectAll('*').remove();
    },
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** `ip route` text shortened for a sign: `10.244.1.0/24 via 172.18.0.3 dev eth0 proto bird` → `10.244.1.0/24 via 172.18.0.3`. */
function shortRoute(text: string): string {
  const m = /^(\S+) via (\S+)/.exec(text);
  return m ? `${m[1]} via ${m[2]}` : text;
}

function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

type Point = { readonly x: number; readonly y: number };

interface Car {
  readonly id: string;
  readonly hop: Hop;
  readonly step: number;
  readonly speed: number;
  readonly at: Point;
  /** Where the car has been, hop by hop, up to `at`. */
  readonly trail: readonly Point[];
}

interface CityIndex {
  readonly model: CityModel;
  readonly houses: ReadonlyMap<string, House>;
  readonly districts: ReadonlyMap<string, District>;
  readonly offices: ReadonlyMap<string, PostOffice>;
  readonly directory: PostOffice | undefined;
  /** Each trace's hop positions, computed once per trace and model. */
  readonly routes: WeakMap<readonly Hop[], readonly Point[]>;
}

const indexes = new WeakMap<CityModel, CityIndex>();
function indexOf(model: CityModel): CityIndex {
  let index = indexes.get(model);
  if (!index) {
    index = {
      model,
      houses: new Map(model.houses.map((h) => [h.ref, h])),
      districts: new Map(model.districts.map((d) => [d.name, d])),
      offices: new Map(model.postOffices.map((o) => [o.ref, o])),
      directory: model.postOffices.find((o) => o.role === 'directory'),
      routes: new WeakMap(),
    };
    indexes.set(model, index);
  }
  return index;
}

function carAt(id: string, traffic: TrafficState, index: CityIndex): Car | null {
  const { hops, speed } = traffic;
  if (!hops.length) return null;
  let route = index.routes.get(hops);
  if (!route) {
    const points: Point[] = [];
    let prev: Point = index.model.outside;
    for (const hop of hops) {
      prev = hopPoint(hop, index, prev);
      points.push(prev);
    }
    route = points;
    index.routes.set(hops, route);
  }
  const step = Math.max(0, Math.min(traffic.step, hops.length - 1));
  const hop = hops[step];
  const at = route[step];
  if (!hop || !at) return null;
  return { id, hop, step, speed, at, trail: route.slice(0, step + 1) };
}

/** Where the car is for a hop: the house, post office, district or the outside world it names. */
function hopPoint(hop: Hop, index: CityIndex, previous: Point): Point {
  const m = index.model;
  const house = hop.pod ? index.houses.get(hop.pod) : undefined;
  const district = hop.node ? index.districts.get(hop.node) : undefined;
  const officeCentre = (o: PostOffice) => ({ x: o.x + OFFICE_W / 2, y: o.y + OFFICE_H / 2 });
  if (hop.kind === 'dns' && index.directory) return officeCentre(index.directory);
  if (hop.kind === 'internet') return m.outside;
  // A packet dropped where the trace names no place (no route to a ClusterIP, say) stops where it is.
  if (hop.kind === 'drop' && !house && !district && !hop.service) return previous;
  if (hop.service && (hop.kind === 'netfilter' || !house)) {
    const o = index.offices.get(stripPort(hop.service));
    if (o) return officeCentre(o);
  }
  if (house && (hop.kind === 'pod' || hop.kind === 'deliver' || hop.kind === 'dns'))
    return { x: house.x + HOUSE_W / 2, y: house.y + HOUSE_H / 2 };
  // A sidecar hop happens at the courier by the house's door (drawCourier).
  if (house?.sidecar && hop.kind === 'sidecar') return { x: house.x + HOUSE_W - 14, y: house.y + HOUSE_H };
  if (house && (hop.kind === 'veth' || hop.kind === 'policy'))
    return { x: house.x + HOUSE_W / 2, y: house.y + HOUSE_H + 6 };
  if (district) {
    const bottom = { x: district.x + district.width / 2, y: district.y + district.height };
    if (hop.kind === 'tunnel' || hop.kind === 'route') return { x: bottom.x, y: bottom.y + 22 };
    if (hop.kind === 'drop' && house) return { x: house.x + HOUSE_W / 2, y: house.y + HOUSE_H + 6 };
    return bottom;
  }
  if (house) return { x: house.x + HOUSE_W / 2, y: house.y + HOUSE_H / 2 };
  if (!hop.node && !hop.pod) return m.outside;
  return previous;
}
