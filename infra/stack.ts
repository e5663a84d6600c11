/**
 * The whole system on AWS, in the order data flows: tables → network and cache → the
 * GraphQL API (writes commands, awaits notifications) → the stream's two readers (the
 * decider and the fan-out) → the bus and one function per topology route → the homepage.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type Route, topology } from '../src/topology/topology.js';
import type { CapabilityResources } from './constructs/capabilities.js';
import { Fanout } from './constructs/fanout.js';
import { GraphQLApi } from './constructs/graphql-api.js';
import { Handlers } from './constructs/handlers.js';
import { Network } from './constructs/network.js';
import { NotificationCache } from './constructs/notification-cache.js';
import { Site } from './constructs/site.js';
import { Tables } from './constructs/tables.js';

export interface VisitplannrStackProps extends StackProps {
  /** The routes to deploy; the topology declaration unless a test passes another. */
  readonly routes?: readonly Route[];
}

export class VisitplannrStack extends Stack {
  readonly tables: Tables;
  readonly network: Network;
  readonly cache: NotificationCache;
  readonly site: Site;
  readonly api: GraphQLApi;
  readonly fanout: Fanout;
  readonly handlers: Handlers;

  constructor(scope: Construct, id: string, props: VisitplannrStackProps = {}) {
    super(scope, id, props);
    this.tables = new Tables(this, 'Tables');
    this.network = new Network(this, 'Network');
    this.cache = new NotificationCache(this, 'Notifications', this.network);
    const resources: CapabilityResources = {
      tables: this.tables,
      notifications: {
        placement: { vpc: this.network.vpc, securityGroup: this.network.functionSecurityGroup },
        environment: this.cache.clientEnvironment,
      },
    };
    this.site = new Site(this, 'Site');
    this.api = new GraphQLApi(this, 'GraphQL', {
      resources,
      allowedOrigins: [this.site.origin],
      throttle: { rateLimit: 100, burstLimit: 200 },
      mutationDeadline: Duration.seconds(5),
    });
    this.fanout = new Fanout(this, 'Fanout', { eventTable: this.tables.events });
    this.handlers = new Handlers(this, 'Handlers', { routes: props.routes ?? topology, resources, bus: this.fanout.bus });

    new CfnOutput(this, 'GraphQLUrl', { value: this.api.url, description: 'POST GraphQL here' });
    new CfnOutput(this, 'HomepageUrl', { value: this.site.url, description: 'The homepage (CloudFront)' });
  }
}
