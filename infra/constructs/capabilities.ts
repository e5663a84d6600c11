/**
 * A function's capabilities (declared per route in the topology) → exactly the IAM
 * actions, environment and network placement they need. Adding a capability kind is a
 * type error here until it is mapped.
 */
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { HOMEPAGE_KEY } from '../../src/site/assets.js';
import { type Capability, PUBLICATIONS_KEY } from '../../src/topology/topology.js';
import type { Placement } from './service-function.js';

export interface CapabilityResources {
  readonly tables: { readonly events: Table; readonly readModels: Table };
  /** Where functions that talk to Redis run, and how they reach it. */
  readonly notifications: { readonly placement: Placement; readonly environment: Record<string, string> };
  /** The homepage: its bucket and distribution (whose /graphql is the API: the pages need no API URL). */
  readonly site: { readonly bucket: IBucket; readonly distribution: IDistribution };
}

interface Mapping {
  readonly grant: (resources: CapabilityResources, grantee: IGrantable) => void;
  readonly environment: (resources: CapabilityResources) => Record<string, string>;
}

const eventTable = ({ tables }: CapabilityResources) => ({ EVENT_TABLE_NAME: tables.events.tableName });
const readModelTable = ({ tables }: CapabilityResources) => ({ READ_MODEL_TABLE_NAME: tables.readModels.tableName });

const capabilities: Record<Capability, Mapping> = {
  'events:read': {
    grant: ({ tables }, grantee) => tables.events.grant(grantee, 'dynamodb:GetItem', 'dynamodb:Query'),
    environment: eventTable,
  },
  // Conditional puts, alone or inside TransactWriteItems (which checks PutItem per item).
  'events:append': {
    grant: ({ tables }, grantee) => tables.events.grant(grantee, 'dynamodb:PutItem'),
    environment: eventTable,
  },
  // BatchGetItem: the recent-list projector reads a batch's changed destinations in one call.
  'read-models:read': {
    grant: ({ tables }, grantee) => tables.readModels.grant(grantee, 'dynamodb:GetItem', 'dynamodb:BatchGetItem'),
    environment: readModelTable,
  },
  // Conditional puts, alone or inside the handlers' TransactWriteItems (inline projection).
  'read-models:write': {
    grant: ({ tables }, grantee) => tables.readModels.grant(grantee, 'dynamodb:PutItem'),
    environment: readModelTable,
  },
  // No IAM: the cache is reached over the network (its security group admits the function's).
  notifications: { grant: () => undefined, environment: ({ notifications }) => notifications.environment },
  'site:write': {
    grant: ({ site }, grantee) => {
      // The homepage object only. HeadObject needs GetObject; conditional puts (If-Match /
      // If-None-Match) need only PutObject.
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [site.bucket.arnForObjects(HOMEPAGE_KEY)],
        }),
      );
      // Without ListBucket, S3 answers HEAD of a missing object with 403 instead of 404 (the first
      // render has nothing to compare with).
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [site.bucket.bucketArn] }),
      );
    },
    environment: ({ site }) => ({ SITE_BUCKET_NAME: site.bucket.bucketName }),
  },
  // HeadObject needs GetObject: the homepage object only. Without ListBucket a missing page is a 403,
  // which the trace look-up (its one use) takes as no trace.
  'site:read': {
    grant: ({ site }, grantee) => {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [site.bucket.arnForObjects(HOMEPAGE_KEY)] }),
      );
    },
    environment: ({ site }) => ({ SITE_BUCKET_NAME: site.bucket.bucketName }),
  },
  'cdn:invalidate': {
    grant: ({ site }, grantee) => site.distribution.grantCreateInvalidation(grantee),
    environment: ({ site }) => ({ DISTRIBUTION_ID: site.distribution.distributionId }),
  },
  // UpdateItem of the one publication-history item: the partition key condition keeps the
  // invalidator (which reads no table otherwise) and the renderer off every other read model.
  'publications:write': {
    grant: ({ tables }, grantee) => {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:UpdateItem'],
          resources: [tables.readModels.tableArn],
          conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PUBLICATIONS_KEY] } },
        }),
      );
    },
    environment: readModelTable,
  },
};

export function grantCapabilities(
  resources: CapabilityResources,
  grantee: IGrantable,
  uses: readonly Capability[],
): void {
  for (const capability of uses) capabilities[capability].grant(resources, grantee);
}

/** Environment and placement for a function with these capabilities: only Redis users join the VPC. */
export function runtimeFor(
  resources: CapabilityResources,
  uses: readonly Capability[],
): { placement?: Placement; environment: Record<string, string> } {
  const environment = Object.assign(
    {},
    ...uses.map((capability) => capabilities[capability].environment(resources)),
  ) as Record<string, string>;
  return uses.includes('notifications')
    ? { placement: resources.notifications.placement, environment }
    : { environment };
}
