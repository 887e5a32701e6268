// Export of the city map as a standalone SVG or a PNG. The drawn map takes its colours from CSS
// (cityMap.css over theme.css variables), which a downloaded file does not carry: the export
// copies each element's computed style onto the copy, so the file renders the same on its own,
// in the theme the learner sees.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The properties cityMap.css sets; anything else keeps SVG's defaults. */
const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'visibility',
  'display',
] as const;

/** Attributes of the live map that mean nothing in a file (focus, buttons, selection hooks). */
const DROPPED_ATTRIBUTES = ['tabindex', 'role', 'data-select-kind', 'data-select-ref', 'aria-hidden'];

export interface MapBounds {
  readonly width: number;
  readonly height: number;
}

/**
 * The whole city (not just the part in view) as SVG text with inlined styles, on the map's
 * background colour. `svg` is the live map; `bounds` its model's size.
 */
export function mapToSvgText(svg: SVGSVGElement, bounds: MapBounds, title: string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  clone.removeAttribute('class');
  clone.removeAttribute('style');
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('viewBox', `0 0 ${Math.ceil(bounds.width)} ${Math.ceil(bounds.height)}`);
  clone.setAttribute('width', String(Math.ceil(bounds.width)));
  clone.setAttribute('height', String(Math.ceil(bounds.height)));
  clone.setAttribute('role', 'img');
  clone.setAttribute('aria-label', title);
  for (const name of DROPPED_ATTRIBUTES)
    for (const el of clone.querySelectorAll(`[${name}]`)) el.removeAttribute(name);
  // The pan and zoom of the view are not part of the picture.
  clone.querySelector('g.viewport')?.removeAttribute('transform');
  const ownerDoc = svg.ownerDocument;
  const background = ownerDoc.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', backgroundOf(svg));
  const heading = ownerDoc.createElementNS(SVG_NS, 'title');
  heading.textContent = title;
  clone.prepend(heading, background);
  return new XMLSerializer().serializeToString(clone);
}

/** Renders SVG text to a PNG at `scale` device pixels per map unit (the canvas caps the size). */
export async function svgTextToPng(text: string, bounds: MapBounds, scale: number): Promise<Blob> {
  // Browsers refuse canvases beyond about 16k pixels a side; a very large city is scaled down.
  const fit = Math.min(scale, 16_000 / bounds.width, 16_000 / bounds.height);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bounds.width * fit));
    canvas.height = Math.max(1, Math.round(bounds.height * fit));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser has no 2D canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

function inlineStyles(source: Element, target: Element): void {
  const view = source.ownerDocument.defaultView;
  if (!view) return;
  const sources = [source, ...source.querySelectorAll('*')];
  const targets = [target, ...target.querySelectorAll('*')];
  sources.forEach((el, i) => {
    const copy = targets[i];
    if (!copy || el.tagName === 'title') return;
    const computed = view.getComputedStyle(el);
    // Keep the element's own inline transform (a car's place), drop animation state.
    const transform = el instanceof SVGElement || el instanceof HTMLElement ? el.style.transform : '';
    const declarations = STYLE_PROPERTIES.map((p) => [p, computed.getPropertyValue(p)] as const)
      .filter(([, v]) => v !== '')
      .map(([p, v]) => `${p}:${v}`);
    if (transform) declarations.push(`transform:${transform}`);
    copy.setAttribute('style', declarations.join(';'));
  });
}

function backgroundOf(svg: SVGSVGElement): string {
  const view = svg.ownerDocument.defaultView;
  for (let el: Element | null = svg; el && view; el = el.parentElement) {
    const colour = view.getComputedStyle(el).backgroundColor;
    if (colour && colour !== 'transparent' && colour !== 'rgba(0, 0, 0, 0)') return colour;
  }
  return '#ffffff';
}
