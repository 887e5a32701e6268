import { select, zoom, zoomIdentity, type Selection as D3Selection, type ZoomBehavior } from 'd3';
// d3 declares "sideEffects": false, so a production build drops the module that adds
// `selection.transition()` unless it is imported for its effect (TOOLCHAIN.md).
import 'd3-transition';
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
  setTraffic(traffic: TrafficState | null): void;
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

  const zoomBehavior: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.15, 4])
    .on('zoom', (event: { transform: { toString(): string }; sourceEvent: unknown }) => {
      // Once the learner pans or zooms, resizing no longer refits the view.
      if (event.sourceEvent) userMoved = true;
      viewport.attr('transform', event.transform.toString());
    });
  svg.call(zoomBehavior).on('dblclick.zoom', null);
  // Fit to the box the layout finally gives the map (it settles after the first paint).
  const resizeObserver =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver(() => {
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

  const duration = (ms: number) => (reducedMotion() ? 0 : ms);

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
    const t = duration(450);
    parent
      .selectAll<SVGGElement, House>('g.house')
      .data(houses, (d) => d.ref)
      .join(
        (enter) => {
          const g = enter
            .append('g')
            .attr('class', 'house')
            .attr('data-kind', 'Pod')
            .attr('data-select-kind', 'Pod')
            .attr('opacity', t ? 0 : 1)
            .attr('transform', (d) => `translate(${d.x},${d.y + (t ? 24 : 0)})`);
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
          g.transition()
            .duration(t)
            .attr('opacity', 1)
            .attr('transform', (d) => `translate(${d.x},${d.y})`);
          return g;
        },
        (update) => {
          update
            .transition()
            .duration(t)
            .attr('opacity', 1)
            .attr('transform', (d) => `translate(${d.x},${d.y})`);
          return update;
        },
        (exit) => {
          // Demolished: out of the test hooks at once, faded out, then removed.
          exit
            .attr('data-kind', null)
            .attr('data-select-kind', null)
            .attr('tabindex', null)
            .attr('role', null)
            .attr('aria-hidden', 'true')
            .classed('demolished', true)
            .transition()
            .duration(t)
            .attr('opacity', 0)
            .remove();
          return exit;
        },
      )
      .attr('class', (d) => `house role-${d.role}${d.ready ? '' : ' not-ready'}`)
      .attr('data-ref', (d) => d.ref)
      .attr('data-select-ref', (d) => d.ref)
      .call((s) =>
        selectable(s, (d) => `Pod ${d.ref}, IP ${d.ip || 'none'}, ${d.phase}${d.ready ? '' : ', not ready'}`),
      )
      .each(function (d) {
        const g = select(this);
        const role =
          d.role === 'directory'
            ? ' It serves the city directory (CoreDNS).'
            : d.role === 'gate'
              ? ' It is the city gate (the ingress controller).'
              : '';
        g.select('title').text(
          `Pod ${d.ref} on ${d.node}: address ${d.ip || 'none yet'}, ${d.phase}${d.ready ? ', ready' : ', not ready'}. ` +
            `${d.containers.length} container(s) share this one address: ${d.containers.join(', ')}.${role}`,
        );
        g.select('text.house-name').text(truncate(d.name, 20));
        g.select('text.plate-text').text(d.ip || 'no IP');
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

  /** Where the car is for a hop: the house, post office, district or the outside world it names. */
  function hopPoint(hop: Hop, m: CityModel, previous: { x: number; y: number }): { x: number; y: number } {
    const house = hop.pod ? m.houses.find((h) => h.ref === hop.pod) : undefined;
    const district = hop.node ? m.districts.find((d) => d.name === hop.node) : undefined;
    if (hop.kind === 'dns') {
      const dir = m.postOffices.find((o) => o.role === 'directory');
      if (dir) return { x: dir.x + OFFICE_W / 2, y: dir.y + OFFICE_H / 2 };
    }
    if (hop.kind === 'internet') return m.outside;
    if (hop.service && (hop.kind === 'netfilter' || !house)) {
      const o = m.postOffices.find((p) => p.ref === stripPort(hop.service ?? ''));
      if (o) return { x: o.x + OFFICE_W / 2, y: o.y + OFFICE_H / 2 };
    }
    if (house && (hop.kind === 'pod' || hop.kind === 'deliver' || hop.kind === 'dns'))
      return { x: house.x + HOUSE_W / 2, y: house.y + HOUSE_H / 2 };
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

  function drawTraffic() {
    const m = model;
    if (!m) return;
    // Highlight what the current hop touches (with reduced motion, this is the whole animation).
    viewport.selectAll('.hop-current').classed('hop-current', false);
    const hops = traffic?.hops ?? [];
    const step = Math.min(traffic?.step ?? 0, hops.length - 1);
    const points: { x: number; y: number }[] = [];
    let prev = m.outside;
    for (let i = 0; i <= step; i++) {
      const hop = hops[i];
      if (!hop) break;
      prev = hopPoint(hop, m, prev);
      points.push(prev);
    }
    const hop = hops[step];
    const data = hop && points.length ? [{ hop, at: points[points.length - 1]! }] : [];
    if (hop) {
      const targets: string[] = [];
      if (hop.pod) targets.push(`[data-kind="Pod"][data-ref="${cssEscape(hop.pod)}"]`);
      if (hop.service) targets.push(`[data-kind="Service"][data-ref="${cssEscape(stripPort(hop.service))}"]`);
      if (hop.node && !hop.pod)
        targets.push(`[data-kind="Node"][data-ref="${cssEscape(hop.node)}"] .district-ground`);
      if (targets.length) viewport.selectAll(targets.join(',')).classed('hop-current', true);
    }
    trafficLayer
      .selectAll<SVGPolylineElement, { x: number; y: number }[]>('polyline.trail')
      .data(data.length ? [points] : [])
      .join('polyline')
      .attr('class', 'trail')
      .attr('data-kind', 'Trail')
      .attr('data-ref', 'trace')
      .attr('points', (p) => p.map((q) => `${q.x},${q.y}`).join(' '));
    const speed = traffic?.speed ?? 1;
    const car = trafficLayer
      .selectAll<SVGGElement, (typeof data)[number]>('g.car')
      .data(data)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'car').attr('data-kind', 'Car').attr('data-ref', 'trace');
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
        g.append('g').attr('class', 'drop-mark');
        g.attr('transform', (d) => `translate(${d.at.x},${d.at.y})`);
        return g;
      });
    car.attr(
      'class',
      (d) =>
        `car car-${PROTOCOL_CLASS[d.hop.packet.protocol] ?? 'tcp'}${d.hop.dropped ? ' car-dropped' : ''}`,
    );
    car.select('title').text((d) => `${d.hop.packet.protocol} packet at ${d.hop.where}: ${d.hop.what}`);
    car
      .transition()
      .duration(duration(Math.min(800, 900 / speed)))
      .attr('transform', (d) => `translate(${d.at.x},${d.at.y})`);
    const mark = car
      .select('g.drop-mark')
      .selectAll<SVGGElement, Hop>('g.dropped')
      .data((d) => (d.hop.dropped ? [d.hop] : []))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'dropped');
        g.append('path').attr('d', 'M-10,-22 L10,-2 M10,-22 L-10,-2');
        g.append('rect')
          .attr('class', 'drop-bg')
          .attr('x', 14)
          .attr('y', -26)
          .attr('height', 20)
          .attr('rx', 4);
        g.append('text').attr('x', 20).attr('y', -12);
        return g;
      });
    mark.select('text').text((h) => truncate(`Dropped: ${h.what}`, 70));
    mark.select('rect.drop-bg').attr('width', (h) => Math.min(70, `Dropped: ${h.what}`.length) * 6.2 + 12);
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
    fit,
    zoomBy(factor) {
      svg.call(zoomBehavior.scaleBy, factor);
    },
    destroy() {
      resizeObserver?.disconnect();
      svg.on('.zoom', null).on('click.select', null).on('keydown.select', null);
      svg.interrupt();
      svg.selectAll('*').interrupt().remove();
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
