// NetworkPolicy evaluation: compile once, then evaluate connections or whole matrices.
export { compilePolicies, policiesSelecting, type PolicySet } from './compile';
export {
  evaluate,
  reachabilityMatrix,
  podEndpoint,
  endpointName,
  type Verdict,
  type DirectionVerdict,
  type DecidedBy,
  type Direction,
} from './evaluate';
export { describePolicy } from './describe';
