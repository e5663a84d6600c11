/**
 * A function's capabilities (declared per route in the topology) → exactly the IAM
 * actions and network placement they need. Adding a capability kind is a type error
 * here until it is mapped.
 */
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Capability } from '../../src/topology/topology.js';
import type { Placement } from './service-function.js';

export interface CapabilityResources {
  readonly tables: { readonly events: Table; readonly readModels: Table };
  /** Where functions that talk to Redis run, and how they reach it. */
  readonly notifications: { readonly placement: Placement; readonly environment: Record<string, string> };
}

const grants: Record<Capability, (resources: CapabilityResources, grantee: IGrantable) => void> = {
  'events:read': ({ tables }, grantee) => tables.events.grant(grantee, 'dynamodb:GetItem', 'dynamodb:Query'),
  // Conditional puts, alone or inside TransactWriteItems (which checks PutItem per item).
  'events:append': ({ tables }, grantee) => tables.events.grant(grantee, 'dynamodb:PutItem'),
  'read-models:read': ({ tables }, grantee) => tables.readModels.grant(grantee, 'dynamodb:GetItem'),
  'read-models:write': ({ tables }, grantee) => tables.readModels.grant(grantee, 'dynamodb:PutItem'),
  // No IAM: the cache is reached over the network (its security group admits the function's).
  notifications: () => undefined,
};

export function grantCapabilities(resources: CapabilityResources, grantee: IGrantable, uses: readonly Capability[]): void {
  for (const capability of uses) grants[capability](resources, grantee);
}

/** Placement and environment for a function with these capabilities. */
export function runtimeFor(resources: CapabilityResources, uses: readonly Capability[]): { placement?: Placement; environment: Record<string, string> } {
  const tables = { EVENT_TABLE_NAME: resources.tables.events.tableName, READ_MODEL_TABLE_NAME: resources.tables.readModels.tableName };
  if (!uses.includes('notifications')) return { environment: tables };
  return { placement: resources.notifications.placement, environment: { ...tables, ...resources.notifications.environment } };
}
