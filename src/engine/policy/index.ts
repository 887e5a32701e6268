// NetworkPolicy evaluation: compile once, then evaluate connections or whole matrices.
export { compilePolicies, type PolicySet } from './compile';
export {
  evaluate,
  reachabilityMatrix,
  policiesSelecting,
  podEndpoint,
  endpointName,
  type Verdict,
  type DirectionVerdict,
  type DecidedBy,
  type Direction,
} from './evaluate';
export { describePolicy } from './describe';
