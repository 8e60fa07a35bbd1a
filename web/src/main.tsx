import '@codegouvfr/react-dsfr/dsfr/dsfr.min.css';
import '@codegouvfr/react-dsfr/dsfr/utility/icons/icons.min.css';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startReactDsfr } from '@codegouvfr/react-dsfr/spa.js';
import { App } from './App.js';
import { AppLink } from './routing.js';

startReactDsfr({ defaultColorScheme: 'system', Link: AppLink });

const rootElement = document.getElementById('racine');
if (rootElement === null) throw new Error('Élément racine « racine » absent de la page.');

createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
