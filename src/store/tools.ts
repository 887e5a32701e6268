// The engine's on-demand half as the UI's on-demand views see it: the Scale view's rule-growth
// worker, the matrix, and a Service's kube-proxy rules in the inspector. Only code that is itself
// loaded on demand imports this module: a static import from the first screen would put the data
// plane back into the first load (scripts/check-bundle.ts).
export { evaluate, reachabilityMatrix, scaleSeries, serviceRules } from '../engine/parts';
