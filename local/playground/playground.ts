/**
 * The local stack's offline GraphQL IDE: GraphiQL bundled from npm by esbuild on first
 * request (kept in memory), served at /playground and to browsers asking GET /graphql.
 * AWS has no such route: there the API serves GraphQL only.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const operationsDir = join(here, '../../sdk/operations');

export const PLAYGROUND_PATH = '/playground';

export interface Playground {
  /** Routes for the HTTP gateway: the page and its two assets. */
  readonly routes: Readonly<Record<string, () => Promise<APIGatewayProxyStructuredResultV2>>>;
}

/** A browser navigating to the API (not a GraphQL client, which POSTs or asks for JSON). */
export function wantsPage(event: APIGatewayProxyEventV2): boolean {
  return event.requestContext.http.method === 'GET' && (event.headers['accept'] ?? '').includes('text/html');
}

export function createPlayground(graphqlPath: string): Playground {
  let assets: Promise<{ js: string; css: string }> | undefined;
  const bundle = () => (assets ??= bundleApp());
  const ok = (contentType: string, body: string): APIGatewayProxyStructuredResultV2 => ({
    statusCode: 200,
    headers: { 'content-type': contentType, 'cache-control': 'no-cache' },
    body,
  });
  return {
    routes: {
      [PLAYGROUND_PATH]: async () => ok('text/html; charset=utf-8', page(graphqlPath, await exampleOperations())),
      [`${PLAYGROUND_PATH}/app.js`]: async () => ok('text/javascript; charset=utf-8', (await bundle()).js),
      [`${PLAYGROUND_PATH}/app.css`]: async () => ok('text/css; charset=utf-8', (await bundle()).css),
    },
  };
}

async function bundleApp(): Promise<{ js: string; css: string }> {
  const result = await build({
    entryPoints: [join(here, 'app.ts')],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    outdir: 'playground',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const output = (extension: string) => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  return { js: output('.js'), css: output('.css') };
}

/** The SDK's operation documents, so the IDE opens on the same operations the SDK sends. */
async function exampleOperations(): Promise<string> {
  const files = (await readdir(operationsDir)).filter((file) => file.endsWith('.graphql')).sort();
  const documents = await Promise.all(files.map((file) => readFile(join(operationsDir, file), 'utf8')));
  return `# Example operations (sdk/operations). Run one with the ▶ button.\n\n${documents.join('\n')}`;
}

const EXAMPLE_VARIABLES = {
  input: { name: 'Ghent', latitude: 51.05, longitude: 3.72, waitFor: 'LOCATION_CHECKED' },
  limit: 5,
  id: '',
  correlationId: '',
};

function page(endpoint: string, query: string): string {
  // JSON inside a script element: escaping `<` keeps `</script>` in the data from closing it.
  const config = JSON.stringify({ endpoint, query, variables: JSON.stringify(EXAMPLE_VARIABLES, null, 2) }).replaceAll(
    '<',
    '\\u003c',
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>visitplannr playground</title>
<link rel="stylesheet" href="${PLAYGROUND_PATH}/app.css">
<style>html, body, #playground { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="playground"></div>
<script type="application/json" id="playground-config">${config}</script>
<script type="module" src="${PLAYGROUND_PATH}/app.js"></script>
</body>
</html>
`;
}
