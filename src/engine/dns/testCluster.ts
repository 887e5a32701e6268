// A small cluster for the focused tests: ClusterIP, headless (with a not-ready Pod and a Pod
// naming it as subdomain), publishNotReadyAddresses, ExternalName, and Pods with every dnsPolicy.
import { buildView } from './fixture';

export const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec:
  containers: [{name: main, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec:
  containers: [{name: main, image: agnhost, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: shop, labels: {app: db}}
spec:
  hostname: db-0
  subdomain: db
  containers: [{name: main, image: pg, ports: [{name: pg, containerPort: 5432}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-1, namespace: shop, labels: {app: db}}
spec:
  containers: [{name: main, image: pg, ports: [{name: pg, containerPort: 5432}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-2, namespace: shop, labels: {app: db}}
spec:
  hostname: db-2
  subdomain: db
  containers: [{name: main, image: pg, ports: [{name: pg, containerPort: 5432}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: host-pod, namespace: shop}
spec:
  hostNetwork: true
  containers: [{name: main, image: busybox}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: metrics, port: 9090, protocol: UDP, targetPort: 9090}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432, targetPort: pg}]
---
apiVersion: v1
kind: Service
metadata: {name: db-all, namespace: shop}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: db}
  ports: [{name: pg, port: 5432, targetPort: pg}]
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: shop}
spec:
  clusterIP: None
  selector: {app: nothing}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: shop}
spec: {type: ExternalName, externalName: www.example.com}
---
apiVersion: v1
kind: Service
metadata: {name: gone, namespace: shop}
spec: {type: ExternalName, externalName: nowhere.example.net}
---
apiVersion: v1
kind: Service
metadata: {name: alias, namespace: shop}
spec: {type: ExternalName, externalName: web.shop.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: dangling, namespace: shop}
spec: {type: ExternalName, externalName: nosuch.shop.svc.cluster.local}
`;

/** db-2 is not ready. */
export const testView = () => buildView(MANIFESTS, { podStates: { 'shop/db-2': { ready: false } } });
