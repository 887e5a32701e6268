/**
 * The browser's localStorage, or null where there is none or touching it throws (some privacy
 * modes). Every store that keeps work in the browser takes its storage from here, or a test's own.
 */
export function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
