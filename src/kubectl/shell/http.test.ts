import { describe, expect, it } from 'vitest';
import { createEngine, type ConnectResult, type Engine } from '../../engine';
import { runKubectl } from '../index';

// The request curl and wget write once connected travels in the trace as the hops' payload
// (engine [MS4]): readable on every leg without a mesh, ciphertext only between two sidecars.

function lab(): Engine {
  const e = createEngine();
  runKubectl(e, 'kubectl create deployment web --image=nginx');
  runKubectl(e, 'kubectl expose deployment web --port=80');
  runKubectl(e, 'kubectl run client --image=curlimages/curl -- sleep 1d');
  runKubectl(e, 'kubectl run tools --image=busybox -- sleep 1d');
  return e;
}

const httpLeg = (c: ConnectResult | undefined) => (c?.hops ?? []).filter((h) => h.kind !== 'dns');

describe('HTTP payload in the trace', () => {
  it('[K33] curl carries its request: every hop shows GET / HTTP/1.1 with the Host header, in plaintext', () => {
    const r = runKubectl(lab(), 'kubectl exec client -- curl -s web');
    expect(r.exitCode).toBe(0);
    const c = r.connects.find((x) => x.service === 'default/web');
    const hops = httpLeg(c);
    expect(hops.length).toBeGreaterThan(2);
    for (const h of hops) {
      expect(h.payload).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: web\r\nUser-Agent: curl\/[\d.]+\r\n/);
      expect(h.tls?.mtls ?? false).toBe(false);
    }
    // The DNS query is not HTTP.
    const dnsTrip = r.connects.find((x) => x.service === 'kube-system/kube-dns:dns');
    expect(dnsTrip?.hops.some((h) => h.payload !== undefined)).toBe(false);
  });

  it('[K33] curl -X, -I and -H Host: shape the request line and Host header', () => {
    const e = lab();
    const post = runKubectl(e, 'kubectl exec client -- curl -s -X POST web/api');
    expect(httpLeg(post.connects.at(-1))[0]?.payload).toMatch(/^POST \/api HTTP\/1\.1\r\nHost: web\r\n/);
    const head = runKubectl(e, 'kubectl exec client -- curl -sI -H "Host: shop.example" web:80');
    expect(httpLeg(head.connects.at(-1))[0]?.payload).toMatch(
      /^HEAD \/ HTTP\/1\.1\r\nHost: shop\.example\r\n/,
    );
  });

  it("[K34] wget carries GET with the URL authority as Host, and BusyBox wget's User-Agent", () => {
    const r = runKubectl(lab(), 'kubectl exec tools -- wget -qO- http://web:80/index.html');
    expect(r.exitCode).toBe(0);
    const hops = httpLeg(r.connects.find((x) => x.service === 'default/web'));
    expect(hops.at(-1)?.payload).toMatch(
      /^GET \/index\.html HTTP\/1\.1\r\nHost: web:80\r\nUser-Agent: Wget\r\n/,
    );
  });

  it('[K37] nc -z opens and closes the connection: no payload on any hop', () => {
    const r = runKubectl(lab(), 'kubectl exec tools -- nc -z -w 2 web 80');
    const c = r.connects.at(-1);
    expect(c?.delivered).toBe(true);
    expect(c?.hops.some((h) => h.payload !== undefined)).toBe(false);
  });

  it('[MS4] between two Istio sidecars the same curl shows ciphertext, plaintext inside the pods', () => {
    const e = createEngine();
    runKubectl(e, 'kubectl create namespace mesh');
    runKubectl(e, 'kubectl label namespace mesh istio-injection=enabled');
    runKubectl(e, 'kubectl -n mesh create deployment web --image=nginx');
    runKubectl(e, 'kubectl -n mesh expose deployment web --port=80');
    runKubectl(e, 'kubectl -n mesh run client --image=curlimages/curl -- sleep 1d');
    const r = runKubectl(e, 'kubectl -n mesh exec client -- curl -s web');
    expect(r.exitCode).toBe(0);
    const hops = httpLeg(r.connects.at(-1));
    const encrypted = hops.filter((h) => h.tls?.mtls);
    expect(encrypted.length).toBeGreaterThan(0);
    for (const h of encrypted) expect(h.payload).toMatch(/^TLS 1\.3 application data \(encrypted\)/);
    expect(hops[0]?.payload).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: web\r\n/);
    expect(hops.at(-1)?.payload).toMatch(/^GET \/ HTTP\/1\.1/);
  });
});
