import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { bootLab } from './store/boot';
import { browserStorage } from './store/browserStorage';
import { App } from './ui/App';
import { LabStoreProvider } from './ui/LabStoreProvider';
import { settleSharedLink } from './ui/share/openShared';
import { SessionContext } from './ui/share/sessionContext';
import { exposeLabStore } from './ui/map/labDebug';
import './ui/theme.css';
import { setTheme, storedTheme } from './ui/theme';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element.');

// Created once, outside React, so StrictMode's double render does not build two clusters.
// A `#share=` link opens in its own slot; otherwise the lab saved in this browser is restored
// (after the lab's tools have loaded, when that lab replays YAML text, kubectl lines or traffic).
// The theme goes on first, so the page is never drawn in the wrong colours while the lab loads.
// Not a top-level await: the chunks booting may load (the lab's tools, the link reader) import
// from this one, which must therefore finish evaluating first.
setTheme(storedTheme());
void bootLab(location.hash, browserStorage()).then((booted) => {
  settleSharedLink(booted);
  const store = booted.labStore;
  // `?debug` only: window.__lab for the UI benchmark and the console (src/ui/map/labDebug.ts).
  exposeLabStore(store);

  createRoot(rootElement).render(
    <StrictMode>
      <LabStoreProvider store={store}>
        <SessionContext value={booted.session}>
          <App />
        </SessionContext>
      </LabStoreProvider>
    </StrictMode>,
  );
});
