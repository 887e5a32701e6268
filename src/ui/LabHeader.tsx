import { useId } from 'react';
import { CNI_NAMES, type CniName } from '../store/labStore';
import { selectCni, selectLabName, selectProxyMode, selectSetCni } from '../store/selectors';
import { ShareControls } from './share/ShareControls';
import { ThemeToggle } from './ThemeToggle';
import { useLab } from './useLab';

const isCniName = (value: string): value is CniName => (CNI_NAMES as readonly string[]).includes(value);

export function LabHeader() {
  const labName = useLab(selectLabName);
  const cni = useLab(selectCni);
  const proxyMode = useLab(selectProxyMode);
  const setCni = useLab(selectSetCni);
  const cniSelectId = useId();

  return (
    <header className="lab-header">
      <div className="lab-title">
        <h1>Kubernetes Networking Lab</h1>
        <p className="lab-name">{labName}</p>
      </div>
      <div className="lab-settings">
        <label htmlFor={cniSelectId}>CNI plugin</label>
        <select
          id={cniSelectId}
          data-testid="cni-select"
          value={cni}
          onChange={(event) => {
            const value = event.target.value;
            if (isCniName(value)) setCni(value);
          }}
        >
          {CNI_NAMES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <p className="lab-setting">
          kube-proxy: <strong>{proxyMode}</strong>
        </p>
        <ThemeToggle />
        <ShareControls />
      </div>
      {cni === 'flannel' && (
        // SPEC.md, truth 5: NetworkPolicy is enforced by the network plugin, and Flannel has none;
        // "Creating a NetworkPolicy resource without a controller that implements it will have no effect."
        // https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites
        <p className="lab-warning" role="note">
          Flannel does not enforce NetworkPolicy: policies are accepted by the API server and change nothing.
        </p>
      )}
    </header>
  );
}
