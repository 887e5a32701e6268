import { useEffect, useState } from 'react';
import { followTheme, saveTheme, storedTheme, type Theme } from './theme';

const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };

/** Light and dark follow the system until the learner picks one. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  useEffect(() => {
    saveTheme(theme);
    return followTheme(theme);
  }, [theme]);
  return (
    <button type="button" className="theme-toggle" onClick={() => setTheme(NEXT[theme])}>
      Theme: {theme}
    </button>
  );
}
