/**
 * When the decider gives up on a batch, its on-failure queue receives the batch's
 * position (not its records). A function reads that queue, re-reads the records from the
 * stream and records each command as FAILED (src/shell/runner/decide-failures.ts), as
 * the local stack does in-process. A message it cannot handle goes, after 5 receives, to
 * a queue of its own, alarmed like every dead-letter queue. It needs no Redis (the caller
 * was told at the decider's first failure), so it stays out of the VPC, which has no
 * route to the DynamoDB Streams API anyway.
 */
import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Capability } from '../../src/topology/topology.js';
import { acceptFinding } from '../nag.js';
import { type CapabilityResources, grantCapabilities, runtimeFor } from './capabilities.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { LAMBDA_ENTRY_DIR } from './paths.js';
import { ServiceFunction } from './service-function.js';

/** It reads the command's outcome position and appends CommandFailed. */
export const COMMAND_FAILURES_USES: readonly Capability[] = ['events:read', 'events:append'];

export class CommandFailures extends Construct {
  readonly function: ServiceFunction;
  readonly unrecorded: DeadLetterQueue;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly resources: CapabilityResources; readonly deciderFailures: DeadLetterQueue },
  ) {
    super(scope, id);
    const events: Table = props.resources.tables.events;
    const runtime = runtimeFor(props.resources, COMMAND_FAILURES_USES);
    this.function = new ServiceFunction(this, 'Function', {
      entry: `${LAMBDA_ENTRY_DIR}decide-failures.ts`,
      description: 'visitplannr decide-failures (commands the decider gave up on -> FAILED)',
      // The entry point builds the event store, which is configured with both table names.
      environment: { ...runtime.environment, READ_MODEL_TABLE_NAME: props.resources.tables.readModels.tableName },
      timeout: Duration.seconds(30),
    });
    grantCapabilities(props.resources, this.function.role, COMMAND_FAILURES_USES);
    events.grantStreamRead(this.function.role);
    acceptFinding(
      this.function.role,
      'AwsSolutions-IAM5[Resource::*]',
      "dynamodb:ListStreams, part of reading the table's stream, has no resource-level permissions; the stream reads themselves are scoped to the table's stream.",
    );
    this.function.alarmOnErrors();

    this.unrecorded = new DeadLetterQueue(this, 'Unrecorded', 'decider failures that could not be recorded as FAILED');
    const queue = props.deciderFailures.queue;
    // Set on the L1: the queue is built (generically) before anyone reads it.
    (queue.node.defaultChild as CfnQueue).redrivePolicy = {
      deadLetterTargetArn: this.unrecorded.queue.queueArn,
      maxReceiveCount: 5,
    };
    // Longer than the function's timeout, as Lambda requires of a queue it reads.
    (queue.node.defaultChild as CfnQueue).visibilityTimeout = 6 * 30;
    this.function.fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
    acceptFinding(
      this.unrecorded.queue,
      'AwsSolutions-SQS3',
      "This queue is itself the dead-letter queue of the decider's failure queue; its depth alarm fires on the first message.",
    );
  }
}
