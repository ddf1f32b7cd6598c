// The API explorer at /graphql: GraphiQL with its editor workers bundled (no CDN), a bar to
// paste a partner's bearer token, and the CSRF header for the browser's cookie session.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './explorer.css';

import { GraphiQL } from 'graphiql';
import { StrictMode, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

import { createFetcher } from './fetcher';

const french = navigator.language.toLowerCase().startsWith('fr');
const TEXT = french
  ? {
      title: 'Explorateur de l’API Probant',
      token: 'Jeton d’accès (partenaires)',
      placeholder: 'Collez un jeton « Bearer » ; vide : la session de ce navigateur',
      session: 'Session du navigateur',
      partner: 'Jeton partenaire',
      docs: 'Documentation partenaires',
    }
  : {
      title: 'Probant API explorer',
      token: 'Access token (partners)',
      placeholder: 'Paste a bearer token; empty: this browser’s session',
      session: 'Browser session',
      partner: 'Partner token',
      docs: 'Partner documentation',
    };

const DEFAULT_QUERY = `# ${TEXT.title}
{
  apiVersion
}
`;

/** A query shared as a link: `/graphql#query=…` (the fragment never reaches the server). */
function linkedQuery(): string | undefined {
  const query = new URLSearchParams(window.location.hash.slice(1)).get('query');
  return query ?? undefined;
}

function Explorer() {
  const [token, setToken] = useState('');
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const fetcher = useMemo(
    () => createFetcher('/graphql', () => tokenRef.current, navigator.language),
    [],
  );
  return (
    <div className="probant-explorer">
      <form className="probant-bar" onSubmit={(event) => event.preventDefault()}>
        <strong>{TEXT.title}</strong>
        <label htmlFor="probant-token">{TEXT.token}</label>
        <input
          id="probant-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={TEXT.placeholder}
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <span className="probant-mode" data-testid="auth-mode">
          {token.trim() ? TEXT.partner : TEXT.session}
        </span>
      </form>
      <div className="probant-graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} initialQuery={linkedQuery()} />
      </div>
    </div>
  );
}

createRoot(document.getElementById('explorer')!).render(
  <StrictMode>
    <Explorer />
  </StrictMode>,
);
