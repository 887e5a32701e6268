// The Ingress controller (ingress-nginx model) for IngressClass `nginx`. See ./SPEC.md.
export {
  NGINX_CLASS,
  matchesHost,
  matchesPath,
  normalizeHost,
  normalizeRequestPath,
  resolveServicePort,
  routeHttp,
  servesIngress,
} from './router';
export type { IngressBackendRef, IngressControllerOptions, IngressPathType, IngressRoute } from './router';
