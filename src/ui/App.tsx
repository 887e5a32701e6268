import { ApplyStatus } from './ApplyStatus';
import { LabHeader } from './LabHeader';
import { CityMap } from './map/CityMap';

export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the cluster
      </a>
      <LabHeader />
      <main id="main" className="lab-main" aria-label="Lab">
        <ApplyStatus />
        <CityMap />
      </main>
      <footer className="lab-footer">
        <p>
          A simulated cluster running in this tab: no server, no real Kubernetes. Its behaviour follows
          upstream Kubernetes.
        </p>
      </footer>
    </>
  );
}
