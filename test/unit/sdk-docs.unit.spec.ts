/**
 * The SDK's API reference (`npm run docs:sdk`, TypeDoc) is built on demand, not committed;
 * this keeps its source sound: TypeDoc converts and validates sdk/typedoc.json's entry points
 * without a warning, and every public function and method carries an `@example`.
 */
import { join, resolve } from 'node:path';
import { Application, type DeclarationReflection, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';
import { describe, expect, it } from 'vitest';

const sdkDir = resolve(import.meta.dirname, '../../sdk');

describe('the SDK API reference', () => {
  it('converts without warnings, and each public function and method has an @example', async () => {
    // Only the options file (and the tsconfig it names): not vitest's command line.
    const app = await Application.bootstrapWithPlugins({ options: join(sdkDir, 'typedoc.json') }, [
      new TypeDocReader(),
      new TSConfigReader(),
    ]);
    const project = await app.convert();
    if (!project) throw new Error('TypeDoc could not convert the SDK');
    app.validate(project);
    expect(app.logger.hasWarnings() || app.logger.hasErrors()).toBe(false);

    const callables = project.getReflectionsByKind(
      ReflectionKind.Function | ReflectionKind.Method,
    ) as DeclarationReflection[];
    const names = callables.map((callable) => callable.getFriendlyFullName());
    expect(names).toEqual(
      [
        'createClient',
        ...[
          'proposeDestination',
          'recentDestinations',
          'destination',
          'destinationHistory',
          'commandStatus',
          'commandJourney',
        ].map((method) => `VisitplannrClient.${method}`),
      ].map((name) => `@visitplannr/sdk.${name}`),
    );
    const withoutExample = callables.filter(
      (callable) => !callable.signatures?.some((signature) => signature.comment?.getTag('@example')),
    );
    expect(withoutExample.map((callable) => callable.getFriendlyFullName())).toEqual([]);
  }, 60_000);
});
