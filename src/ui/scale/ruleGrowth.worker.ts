// Builds kube-proxy's rules for up to 10,000 Services off the main thread (about two seconds per
// mode at the largest size), answering one point at a time so the chart fills in as it goes.
import { computePoint, type RuleGrowthMessage, type RuleGrowthRequest } from './ruleGrowthData';

const post = (m: RuleGrowthMessage) => self.postMessage(m);

self.onmessage = (event: MessageEvent<RuleGrowthRequest>) => {
  try {
    for (const services of event.data.counts) post({ point: computePoint(services) });
    post({ done: true });
  } catch (e) {
    post({ error: e instanceof Error ? e.message : String(e) });
  }
};
