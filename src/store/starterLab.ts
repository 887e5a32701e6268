/** A lab: a name and the manifests it starts from. */
export interface Lab {
  readonly name: string;
  readonly yaml: string;
}

/**
 * The cluster a learner sees first: one Deployment behind one Service, and a client pod to send
 * requests from (the hands-on exercise of seed 003: `kubectl create deployment web --image=nginx`,
 * `kubectl expose`, `kubectl exec … -- curl web:80`).
 */
export const starterLab: Lab = {
  name: 'Starter lab',
  yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: demo
  labels:
    app: client
spec:
  containers:
    - name: busybox
      image: busybox
      command: ['sleep', '3600']
`,
};
