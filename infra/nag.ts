/**
 * cdk-nag's AwsSolutions pack, and the one way this codebase accepts a finding: on the
 * construct it concerns, with a reason a reviewer can check.
 */
import { type IConstruct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';

// cdk-nag is CommonJS whose exports Node's ESM loader cannot list: take them from the default export.
const { AwsSolutionsChecks } = cdkNag;

export const awsSolutionsChecks = (scope: IConstruct) => new AwsSolutionsChecks(scope, { verbose: true });

/** Accepts a cdk-nag finding (`AwsSolutions-XYZ` or `AwsSolutions-XYZ[Finding]`) on a construct and all below it. */
export function acceptFinding(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
