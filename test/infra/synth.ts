/**
 * Synthesizes the stack for template assertions. Bundling is skipped (the asset is a
 * placeholder): esbuild is exercised by `npm run synth` and bundling.infra.spec.ts.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { VisitplannrStack, type VisitplannrStackProps } from '../../infra/stack.js';
import { buildHomepageAssets } from '../../src/shell/site/build-assets.js';

export interface Synthesized {
  readonly app: App;
  readonly stack: VisitplannrStack;
  readonly template: Template;
}

const siteAssets = await buildHomepageAssets();

export function synthesize(props: Partial<VisitplannrStackProps> = {}): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new VisitplannrStack(app, 'Visitplannr', { siteAssets, ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown }>;

/** Resources of a type (matching `props`, as Template.findResources does), by logical id. */
export const resourcesOf = (template: Template, type: string, props?: object): Resources =>
  template.findResources(type, props) as Resources;

/** The logical id of the (single) CloudFormation resource under a construct. */
export const logicalIdOf = (stack: VisitplannrStack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as never);
