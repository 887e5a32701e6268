// Many cars at once, on one canvas over the map. Moving 200 SVG cars makes the browser repaint the
// whole city SVG (thousands of elements) every frame; on a canvas layer the city stays painted and
// only the cars are redrawn, in one pass per animation frame and only while a car is moving.

export interface FleetCar {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly protocol: string;
  readonly dropped: boolean;
  /** How long the drive to (x, y) takes; 0 jumps. */
  readonly durationMs: number;
}

export interface FleetLayer {
  setCars(cars: readonly FleetCar[]): void;
  /** The map's pan and zoom (d3-zoom's transform): map units → CSS pixels of the map box. */
  setTransform(t: { readonly x: number; readonly y: number; readonly k: number }): void;
  /** Follows the map box after a resize. */
  resize(): void;
  destroy(): void;
}

interface Drive {
  fromX: number;
  fromY: number;
  x: number;
  y: number;
  start: number;
  duration: number;
  protocol: string;
  dropped: boolean;
}

const ease = (t: number) => (t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2);

export function createFleetLayer(svg: SVGSVGElement): FleetLayer {
  const canvas = svg.ownerDocument.createElement('canvas');
  canvas.className = 'fleet-layer';
  canvas.setAttribute('aria-hidden', 'true');
  canvas.dataset.testid = 'fleet-layer';
  svg.after(canvas);
  const context = canvas.getContext('2d');
  const drives = new Map<string, Drive>();
  let transform = { x: 0, y: 0, k: 1 };
  let frame = 0;
  let colours: Record<string, string> = {};

  const readColours = () => {
    const style = getComputedStyle(svg);
    colours = {
      TCP: style.getPropertyValue('--car-tcp').trim() || '#1f5fbf',
      UDP: style.getPropertyValue('--car-udp').trim() || '#c75d00',
      SCTP: style.getPropertyValue('--car-sctp').trim() || '#1d7b3a',
      outline: style.getPropertyValue('--surface').trim() || '#ffffff',
    };
  };

  const resize = () => {
    const dpr = window.devicePixelRatio || 1;
    // Over the map box, within the positioned ancestor the canvas is placed in.
    const box = svg.getBoundingClientRect();
    const parent = canvas.offsetParent;
    const origin = parent?.getBoundingClientRect() ?? { left: 0, top: 0 };
    canvas.style.left = `${box.left - origin.left - (parent?.clientLeft ?? 0)}px`;
    canvas.style.top = `${box.top - origin.top - (parent?.clientTop ?? 0)}px`;
    canvas.style.width = `${svg.clientWidth}px`;
    canvas.style.height = `${svg.clientHeight}px`;
    canvas.width = Math.max(1, Math.round(svg.clientWidth * dpr));
    canvas.height = Math.max(1, Math.round(svg.clientHeight * dpr));
    schedule();
  };

  function draw(now: number) {
    frame = 0;
    if (!context) return;
    const dpr = window.devicePixelRatio || 1;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.setTransform(dpr * transform.k, 0, 0, dpr * transform.k, dpr * transform.x, dpr * transform.y);
    let moving = false;
    context.lineWidth = 1.5;
    context.strokeStyle = colours.outline ?? '#ffffff';
    for (const d of drives.values()) {
      const t = d.duration > 0 ? Math.min(1, (now - d.start) / d.duration) : 1;
      if (t < 1) moving = true;
      const e = ease(t);
      const x = d.fromX + (d.x - d.fromX) * e;
      const y = d.fromY + (d.y - d.fromY) * e;
      context.fillStyle = d.dropped ? '#d11a1a' : (colours[d.protocol] ?? colours.TCP ?? '#1f5fbf');
      context.beginPath();
      context.roundRect(x - 14, y - 9, 28, 14, 4);
      context.fill();
      context.stroke();
    }
    if (moving) schedule();
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  resize();
  readColours();
  return {
    setCars(cars) {
      const now = performance.now();
      const seen = new Set<string>();
      for (const car of cars) {
        seen.add(car.id);
        const d = drives.get(car.id);
        if (!d) {
          drives.set(car.id, {
            fromX: car.x,
            fromY: car.y,
            x: car.x,
            y: car.y,
            start: now,
            duration: 0,
            protocol: car.protocol,
            dropped: car.dropped,
          });
          continue;
        }
        if (d.x === car.x && d.y === car.y && d.dropped === car.dropped) continue;
        // Start from where the car is drawn now, so a new hop mid-drive does not jump.
        const t = d.duration > 0 ? Math.min(1, (now - d.start) / d.duration) : 1;
        d.fromX += (d.x - d.fromX) * ease(t);
        d.fromY += (d.y - d.fromY) * ease(t);
        d.x = car.x;
        d.y = car.y;
        d.start = now;
        d.duration = car.durationMs;
        d.protocol = car.protocol;
        d.dropped = car.dropped;
      }
      for (const id of drives.keys()) if (!seen.has(id)) drives.delete(id);
      readColours();
      schedule();
    },
    setTransform(t) {
      transform = { x: t.x, y: t.y, k: t.k };
      schedule();
    },
    resize,
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      canvas.remove();
    },
  };
}
