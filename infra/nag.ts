/**
 * cdk-nag's AwsSolutions pack, and the one way this codebase accepts a finding: on the
 * construct it concerns, with a reason a reviewer can check.
 */
import { type IConstruct } from 'constructs';
import { Stack, Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';

// cdk-nag is CommonJS whose exports Node's ESM loader cannot list: take them from the default export.
const { AwsSolutionsChecks } = cdkNag;

export const awsSolutionsChecks = (scope: IConstruct) => new AwsSolutionsChecks(scope, { verbose: true });

/** Accepts a cdk-nag finding (`AwsSolutions-XYZ` or `AwsSolutions-XYZ[Finding]`) on a construct and all below it. */
export function acceptFinding(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Accepts a finding on CDK's own stack-level singletons (their ids start with `idPrefix`):
 * deploy-time functions CDK creates and does not let this app configure.
 */
export function acceptFindingOnCdkSingletons(scope: IConstruct, idPrefix: string, id: string, reason: string): void {
  for (const child of Stack.of(scope).node.children) {
    if (child.node.id.startsWith(idPrefix)) acceptFinding(child, id, reason);
  }
}
