/**
 * The CDK app: `npm run synth` (offline) and `npm run deploy` run this. Account and
 * region come from the CLI's environment when deploying; synth needs neither, since
 * nothing in the stack looks anything up. cdk-nag's AwsSolutions pack validates the
 * assembly: a finding nobody accepted fails the synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { awsSolutionsChecks } from './nag.js';
import { buildHomepageAssets } from '../src/shell/site/build-assets.js';
import { parseAuthMode, parseReservedConcurrency, parseTracing, VisitplannrStack } from './stack.js';

const app = new App();
new VisitplannrStack(app, 'Visitplannr', {
  description: 'visitplannr: event-sourced GraphQL backend',
  authMode: parseAuthMode(app.node.tryGetContext('authMode')),
  graphqlReservedConcurrency: parseReservedConcurrency(app.node.tryGetContext('graphqlReservedConcurrency')),
  tracing: parseTracing(app.node.tryGetContext('tracing')),
  siteAssets: await buildHomepageAssets(),
  ...(process.env['CDK_DEFAULT_ACCOUNT'] && process.env['CDK_DEFAULT_REGION']
    ? { env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] } }
    : {}),
});
Validations.of(app).addPlugins(awsSolutionsChecks(app));
app.synth();
