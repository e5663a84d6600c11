/**
 * The playground's browser entry, bundled by esbuild at stack start: GraphiQL talking to
 * /graphql on the same origin, prefilled with the SDK's operations. Everything it needs is
 * in the bundle, so it works with no internet.
 */
import { GraphiQL } from 'graphiql';
import type { ExecutionResult } from 'graphql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';

interface PlaygroundConfig {
  readonly endpoint: string;
  readonly query: string;
  readonly variables: string;
}

const config = JSON.parse(document.getElementById('playground-config')?.textContent ?? '{}') as PlaygroundConfig;

// JSON with content-type application/json, as Apollo's CSRF prevention requires.
const fetcher = async (params: unknown): Promise<ExecutionResult> => {
  const response = await fetch(config.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return (await response.json()) as ExecutionResult;
};

const root = document.getElementById('playground');
if (root)
  createRoot(root).render(
    createElement(GraphiQL, { fetcher, defaultTabs: [{ query: config.query, variables: config.variables }] }),
  );
