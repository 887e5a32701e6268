// Ingress (networking.k8s.io/v1) validation as kube-apiserver does it on create:
// pkg/apis/networking/validation/validation.go (ValidateIngressCreate, ValidateIngressSpec,
// validateIngressRules, validateHTTPIngressPath, validateIngressBackend, validateIngressTLS).
// Metadata (the DNS-1123 subdomain name) is validated elsewhere. v1 has no defaulting of
// pathType: a missing pathType is an error.
//
// Rules (tests cite them):
//  [IV1] an http rule needs at least one path.                 validateHTTPIngressRuleValue
//  [IV2] rule hosts: not an IP, a DNS-1123 subdomain, or '*.' + subdomain.  validateIngressRules
//  [IV3] pathType is required ("pathType must be specified") and one of the three types.
//  [IV4] Exact/Prefix paths are absolute, without '//', '/./', '/../', '%2f', '%2F', and do not
//        end with '/..' or '/.'.                               validateHTTPIngressPath
//  [IV5] ImplementationSpecific paths may be empty, otherwise absolute.                  same
//  [IV6] a backend is a resource or a service, not both.       validateIngressBackend
//  [IV7] the service name is a Service name (DNS-1035 label).                           same
//  [IV8] service port: name xor number ("cannot set both port name & port number"), one required.
//  [IV9] rules or defaultBackend is required.                  ValidateIngressSpec
//  [IV10] tls hosts are (wildcard) DNS names, secretName a Secret name.  validateIngressTLS
//  [IV11] ingressClassName is a DNS-1123 subdomain.            ValidateIngressSpec
//  [IV12] the kubernetes.io/ingress.class annotation must equal ingressClassName when both are
//        set.                                                  ValidateIngressCreate
import type {
  Ingress,
  IngressBackend,
  IngressRule,
  IngressSpec,
  HTTPIngressPath,
} from 'kubernetes-types/networking/v1';
import { type FieldError, type FieldPath, invalid, notSupported, required, root } from './field';
import { invalidEach, isDns1035Label, isDns1123Subdomain, isValidPortName, isValidPortNum } from './names';
import { isIP } from './service';

/** The legacy class annotation, still honoured by controllers (and cross-checked on create). */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const; // sets.NewString(...).List() order
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const WILDCARD_DNS1123_SUBDOMAIN = `\\*\\.${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;

/** IsWildcardDNS1123Subdomain (apimachinery util/validation). */
export function isWildcardDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!new RegExp(`^${WILDCARD_DNS1123_SUBDOMAIN}$`).test(value))
    errs.push(
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist " +
        "of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character " +
        `(e.g. '*.example.com', regex used for validation is '${WILDCARD_DNS1123_SUBDOMAIN}')`,
    );
  return errs;
}

// content.IsPathSegmentName: names used in a URL path segment.
function isPathSegmentName(name: string): string[] {
  const errs: string[] = [];
  for (const illegal of ['.', '..']) if (name === illegal) errs.push(`may not be '${illegal}'`);
  for (const illegal of ['/', '%']) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

/** validateIngressBackend: exactly one of resource and service; a service needs a name and one port. */
export function validateIngressBackend(backend: IngressBackend, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = backend.resource != null;
  const hasService = backend.service != null;
  // [IV6] resource and service are mutually exclusive, and one is required.
  if (hasResource && hasService) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const r = backend.resource;
    const p = path.child('resource');
    if (r?.apiGroup != null)
      errs.push(...invalidEach(p.child('apiGroup'), r.apiGroup, isDns1123Subdomain(r.apiGroup)));
    if (!r?.kind) errs.push(required(p.child('kind')));
    else errs.push(...invalidEach(p.child('kind'), r.kind, isPathSegmentName(r.kind)));
    if (!r?.name) errs.push(required(p.child('name')));
    else errs.push(...invalidEach(p.child('name'), r.name, isPathSegmentName(r.name)));
    return errs;
  }
  const svc = backend.service;
  if (!svc) return [invalid(path, '', 'resource or service backend is required')];
  // [IV7] the Service name is a Service name (DNS-1035 label).
  if (!svc.name) errs.push(required(path.child('service', 'name')));
  else errs.push(...invalidEach(path.child('service', 'name'), svc.name, isDns1035Label(svc.name)));
  // [IV8] port name xor port number.
  const name = svc.port?.name ?? '';
  const num = svc.port?.number ?? 0;
  if (name !== '' && num !== 0) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (name !== '')
    errs.push(...invalidEach(path.child('service', 'port', 'name'), name, isValidPortName(name)));
  else if (num !== 0)
    errs.push(...invalidEach(path.child('service', 'port', 'number'), num, isValidPortNum(num)));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

function validateHTTPIngressPath(p: HTTPIngressPath, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  // [IV3] v1 does not default pathType.
  if (p.pathType == null || p.pathType === '')
    return [required(path.child('pathType'), 'pathType must be specified')];
  const value = p.path ?? '';
  switch (p.pathType) {
    // [IV4] Exact and Prefix paths are absolute and free of '//', '/./', '/../', '%2f' and of a
    // trailing '/..' or '/.'.
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(invalid(path.child('path'), value, 'must be an absolute path'));
      if (value.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES)
          if (value.includes(seq)) errs.push(invalid(path.child('path'), value, `must not contain '${seq}'`));
        for (const suffix of INVALID_PATH_SUFFIXES)
          if (value.endsWith(suffix))
            errs.push(invalid(path.child('path'), value, `cannot end with '${suffix}'`));
      }
      break;
    // [IV5] ImplementationSpecific may be empty; otherwise absolute.
    case 'ImplementationSpecific':
      if (value.length > 0 && !value.startsWith('/'))
        errs.push(invalid(path.child('path'), value, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(path.child('pathType'), p.pathType, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(p.backend, path.child('backend')));
  return errs;
}

function validateIngressRules(rules: readonly IngressRule[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const rp = path.index(i);
    const host = rule.host ?? '';
    // [IV2] host: a DNS name, not an IP; '*' only as a whole leading label.
    if (host.length > 0) {
      if (isIP(host)) errs.push(invalid(rp.child('host'), host, 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDns1123Subdomain(host) : isDns1123Subdomain(host);
      errs.push(...invalidEach(rp.child('host'), host, msgs));
    }
    // [IV1] an http rule needs at least one path.
    if (rule.http) {
      const hp = rp.child('http');
      const paths = rule.http.paths ?? [];
      if (paths.length === 0) errs.push(required(hp.child('paths')));
      paths.forEach((p, j) => errs.push(...validateHTTPIngressPath(p, hp.child('paths').index(j))));
    }
  });
  return errs;
}

/** ValidateIngressSpec. */
export function validateIngressSpec(spec: IngressSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  // [IV9] either rules or a defaultBackend. Go prints the (empty) slice with its type.
  if (rules.length === 0 && spec.defaultBackend == null) {
    const field = path.toString();
    const value = spec.rules ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)';
    errs.push({
      field,
      type: 'Invalid value',
      message: `${field}: Invalid value: ${value}: either \`defaultBackend\` or \`rules\` must be specified`,
    });
  }
  if (spec.defaultBackend != null)
    errs.push(...validateIngressBackend(spec.defaultBackend, path.child('defaultBackend')));
  if (rules.length > 0) errs.push(...validateIngressRules(rules, path.child('rules')));
  // [IV10] TLS hosts are (wildcard) DNS names, secretName a Secret name.
  (spec.tls ?? []).forEach((tls, t) => {
    const tp = path.child('tls').index(t);
    (tls.hosts ?? []).forEach((h, i) => {
      const msgs = h.includes('*') ? isWildcardDns1123Subdomain(h) : isDns1123Subdomain(h);
      errs.push(...invalidEach(tp.child('hosts').index(i), h, msgs));
    });
    if (tls.secretName)
      errs.push(...invalidEach(tp.child('secretName'), tls.secretName, isDns1123Subdomain(tls.secretName)));
  });
  // [IV11] ingressClassName is an IngressClass name (DNS-1123 subdomain).
  if (spec.ingressClassName != null)
    errs.push(
      ...invalidEach(
        path.child('ingressClassName'),
        spec.ingressClassName,
        isDns1123Subdomain(spec.ingressClassName),
      ),
    );
  return errs;
}

/** ValidateIngressCreate without the metadata part. [] means valid. */
export function validateIngress(ing: Ingress): FieldError[] {
  const errs = validateIngressSpec(ing.spec ?? {}, root('spec'));
  // [IV12] the legacy annotation must agree with ingressClassName when both are set. The path
  // "annotations.kubernetes.io/ingress.class" (no "metadata.") is upstream's own.
  const annotation = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  const className = ing.spec?.ingressClassName;
  if (annotation !== undefined && className != null && annotation !== className)
    errs.push(
      invalid(
        root('annotations').child(INGRESS_CLASS_ANNOTATION),
        annotation,
        'must match `ingressClassName` when both are specified',
      ),
    );
  return errs;
}
