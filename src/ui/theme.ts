// The colour theme in one place: <html data-theme> always names the theme in effect ('light' or
// 'dark'), the learner's choice or, while they leave it to the system, the system's preference kept
// up to date. Stylesheets then need one dark block each, and Monaco follows the same attribute.

export type Theme = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'k8s-lab-theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

/** The learner's saved choice ('system' when none, or when storage is unavailable). */
export function storedTheme(): Theme {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function saveTheme(theme: Theme): void {
  try {
    if (theme === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for this visit.
  }
}

const resolved = (theme: Theme): 'light' | 'dark' =>
  theme !== 'system' ? theme : window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';

/** Puts `theme` on <html> once (at start-up, before the first paint). */
export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = resolved(theme);
}

/** Puts `theme` on <html> and, for 'system', follows the system's changes; returns how to stop. */
export function followTheme(theme: Theme): () => void {
  setTheme(theme);
  if (theme !== 'system') return () => undefined;
  const media = window.matchMedia(DARK_QUERY);
  const update = () => setTheme('system');
  media.addEventListener('change', update);
  return () => media.removeEventListener('change', update);
}

/** Calls `onChange` with whether the page is dark whenever the theme in effect changes. */
export function watchDark(onChange: (dark: boolean) => void): () => void {
  const root = document.documentElement;
  const observer = new MutationObserver(() => onChange(root.dataset.theme === 'dark'));
  observer.observe(root, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

export const isDark = (): boolean => document.documentElement.dataset.theme === 'dark';
