import { lazy, useEffect, useMemo, useRef, useState } from 'react';
import {
  selectEngine,
  selectLastConnect,
  selectPlayback,
  selectSetStep,
  selectSelect,
  selectSelection,
  selectSnapshot,
} from '../../store/selectors';
import { useLab } from '../useLab';
import { createCityMap, type CityMapController } from './cityMap';
import { cityModelFor } from './cityModel';
import { exposeMap } from './labDebug';
import { downloadBlob } from '../download';
import { LazyDetails } from '../LazyDetails';
import './cityMap.css';

// The legend and the list view load when first opened.
const Legend = lazy(() => import('./Legend'));
const CityList = lazy(() => import('./CityList'));

const prefersReducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

/** Mounts the D3 city map controller and feeds it the store; the map's root is `city-map`. */
export function CityMap() {
  const snapshot = useLab(selectSnapshot);
  const engine = useLab(selectEngine);
  const selection = useLab(selectSelection);
  const select = useLab(selectSelect);
  const lastConnect = useLab(selectLastConnect);
  const playback = useLab(selectPlayback);
  const setStep = useLab(selectSetStep);
  const svgRef = useRef<SVGSVGElement>(null);
  const controller = useRef<CityMapController | null>(null);
  const model = useMemo(() => cityModelFor(snapshot, engine), [snapshot, engine]);
  const [exportError, setExportError] = useState<string | null>(null);

  const exportMap = async (format: 'svg' | 'png') => {
    const domNode = svgRef.current;
    if (!domNode) return;
    setExportError(null);
    try {
      // The exporter loads on first use: most visits never download the map.
      const { mapToSvgText, svgTextToPng } = await import('./exportMap');
      const title = `City map: ${model.districts.length} nodes, ${model.houses.length} pods, ${model.postOffices.length} Services (${model.cni.title})`;
      const text = mapToSvgText(domNode, model, title);
      if (format === 'svg') downloadBlob(new Blob([text], { type: 'image/svg+xml' }), 'city-map.svg');
      else downloadBlob(await svgTextToPng(text, model, window.devicePixelRatio || 1), 'city-map.png');
    } catch (e) {
      setExportError(`Could not export the map as ${format.toUpperCase()}: ${(e as Error).message}`);
    }
  };

  useEffect(() => {
    const domNode = svgRef.current;
    if (!domNode) return;
    const c = createCityMap({ domNode, onSelect: select, reducedMotion: prefersReducedMotion });
    controller.current = c;
    exposeMap(c);
    return () => {
      c.destroy();
      controller.current = null;
      exposeMap(null);
    };
  }, [select]);

  // update() redraws the selection and the traffic it holds, so those two effects follow only their
  // own inputs (and a new controller, which `select` makes).
  useEffect(() => {
    controller.current?.update(model);
  }, [model, select]);

  useEffect(() => {
    controller.current?.setSelection(selection);
  }, [selection, select]);

  useEffect(() => {
    controller.current?.setTraffic(
      lastConnect ? { hops: lastConnect.hops, step: playback.step, speed: playback.speed } : null,
    );
  }, [lastConnect, playback.step, playback.speed, select]);

  // The car drives on by itself while playing, one hop per 1/speed seconds, whichever side panel is
  // shown (a curl typed in the terminal, a lesson's or the mesh view's trace).
  useEffect(() => {
    if (!playback.playing) return;
    const timer = window.setTimeout(() => setStep(playback.step + 1), 1000 / playback.speed);
    return () => window.clearTimeout(timer);
  }, [playback, setStep]);

  return (
    <section className="map-pane" aria-label="City map">
      <div className="city-map" data-testid="city-map">
        <div className="map-toolbar" role="toolbar" aria-label="Map view">
          <button type="button" onClick={() => controller.current?.fit()}>
            Fit to screen
          </button>
          <button type="button" aria-label="Zoom in" onClick={() => controller.current?.zoomBy(1.25)}>
            +
          </button>
          <button type="button" aria-label="Zoom out" onClick={() => controller.current?.zoomBy(0.8)}>
            −
          </button>
          <button type="button" data-testid="export-svg" onClick={() => void exportMap('svg')}>
            Download SVG
          </button>
          <button type="button" data-testid="export-png" onClick={() => void exportMap('png')}>
            Download PNG
          </button>
          {exportError && (
            <span className="map-export-error" role="alert">
              {exportError}
            </span>
          )}
          <span className="map-cni">
            Roads: <strong>{model.cni.title}</strong>
          </span>
        </div>
        <svg
          ref={svgRef}
          className="city-svg"
          role="group"
          aria-label={`City map: ${model.districts.length} nodes, ${model.houses.length} pods, ${model.postOffices.length} Services`}
        />
        <LazyDetails className="legend" summary="Legend" loading="Loading the legend…">
          <Legend enforcesPolicy={model.enforcesPolicy} cniTitle={model.cni.title} />
        </LazyDetails>
      </div>
      <LazyDetails className="city-list" summary="List view of the map" loading="Loading the list…">
        <CityList model={model} />
      </LazyDetails>
    </section>
  );
}
