// The registered verbs. A new verb is one more descriptor here, not another case in a switch.
import { getVerb } from './verbs/get';
import { describeVerb } from './verbs/describe';
import {
  annotateVerb,
  applyVerb,
  createVerb,
  deleteVerb,
  exposeVerb,
  labelVerb,
  rolloutVerb,
  scaleVerb,
} from './verbs/mutate';
import { execVerb, logsVerb, runVerb } from './verbs/pods';
import { apiResourcesVerb, clusterInfoVerb, versionVerb } from './verbs/info';
import type { Verb } from './types';

export const VERBS: readonly Verb[] = [
  createVerb,
  exposeVerb,
  runVerb,
  getVerb,
  deleteVerb,
  applyVerb,
  describeVerb,
  logsVerb,
  execVerb,
  scaleVerb,
  labelVerb,
  annotateVerb,
  rolloutVerb,
  clusterInfoVerb,
  apiResourcesVerb,
  versionVerb,
];

export const findVerb = (name: string): Verb | undefined =>
  VERBS.find((v) => v.name === name || v.aliases.includes(name));
