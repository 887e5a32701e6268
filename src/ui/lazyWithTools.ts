import { lazy, type ComponentType } from 'react';
import { loadLabTools } from '../store/labStore';

/**
 * A view loaded on demand that uses the lab's tools (it applies YAML text or sends traffic): its
 * chunk and the tools load together, so it never renders before they can answer.
 */
// React's own lazy() takes any component type; so does this.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyWithTools<T extends ComponentType<any>>(load: () => Promise<{ default: T }>) {
  return lazy(() => Promise.all([load(), loadLabTools()]).then(([m]) => m));
}
