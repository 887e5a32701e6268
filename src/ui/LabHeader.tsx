import { useId } from 'react';
import { CNI_NAMES, PROXY_MODES, type CniName, type ProxyMode } from '../store/labStore';
import {
  selectCni,
  selectLabName,
  selectProxyMode,
  selectSetCni,
  selectSetProxyMode,
} from '../store/selectors';
import { ResetLab } from './share/ResetLab';
import { ShareControls } from './share/ShareControls';
import { ThemeToggle } from './ThemeToggle';
import { useLab } from './useLab';

const isCniName = (value: string): value is CniName => (CNI_NAMES as readonly string[]).includes(value);
const isProxyMode = (value: string): value is ProxyMode => (PROXY_MODES as readonly string[]).includes(value);

export function LabHeader() {
  const labName = useLab(selectLabName);
  const cni = useLab(selectCni);
  const proxyMode = useLab(selectProxyMode);
  const setCni = useLab(selectSetCni);
  const setProxyMode = useLab(selectSetProxyMode);
  const cniSelectId = useId();
  const proxySelectId = useId();

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
        {/* kube-proxy's --proxy-mode (the `mode` field of its configuration): how Services are programmed. */}
        <label htmlFor={proxySelectId}>kube-proxy mode</label>
        <select
          id={proxySelectId}
          data-testid="proxy-mode-select"
          value={proxyMode}
          onChange={(event) => {
            const value = event.target.value;
            if (isProxyMode(value)) setProxyMode(value);
          }}
        >
          {PROXY_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {mode}
            </option>
          ))}
        </select>
        <ThemeToggle />
        <ResetLab />
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
