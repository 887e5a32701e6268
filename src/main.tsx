import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLabStore } from './store/labStore';
import { App } from './ui/App';
import { LabStoreProvider } from './ui/LabStoreProvider';
import './ui/theme.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element.');

// Created once, outside React, so StrictMode's double render does not build two clusters.
const store = createLabStore();

createRoot(rootElement).render(
  <StrictMode>
    <LabStoreProvider store={store}>
      <App />
    </LabStoreProvider>
  </StrictMode>,
);
