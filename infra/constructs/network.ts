/**
 * The VPC the cache lives in: isolated subnets only (no NAT, no internet route), a
 * DynamoDB gateway endpoint so the functions placed here still reach their tables, and
 * two security groups: the cache admits only the Redis port, and only from the functions'.
 */
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const REDIS_PORT = 6379;

export class Network extends Construct {
  readonly vpc: Vpc;
  /** Worn by the functions that talk to Redis. */
  readonly functionSecurityGroup: SecurityGroup;
  /** Worn by the cache. */
  readonly cacheSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: {
        DynamoDB: {
          service: GatewayVpcEndpointAwsService.DYNAMODB,
          subnets: [{ subnetType: SubnetType.PRIVATE_ISOLATED }],
        },
      },
    });
    // Rejected connections only: they are what a misconfigured security group produces, and they stay cheap.
    this.vpc.addFlowLog('RejectedFlows', {
      trafficType: FlowLogTrafficType.REJECT,
      destination: FlowLogDestination.toCloudWatchLogs(
        new LogGroup(this, 'FlowLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      ),
    });

    this.cacheSecurityGroup = new SecurityGroup(this, 'CacheSecurityGroup', {
      vpc: this.vpc,
      description: 'ElastiCache Serverless: Redis port from the notifying functions only',
      allowAllOutbound: false,
    });
    this.functionSecurityGroup = new SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: this.vpc,
      description: 'Functions that publish or await notifications: Redis and DynamoDB only',
      allowAllOutbound: false,
    });
    this.cacheSecurityGroup.addIngressRule(
      this.functionSecurityGroup,
      Port.tcp(REDIS_PORT),
      'Redis from the notifying functions',
    );
    this.functionSecurityGroup.addEgressRule(this.cacheSecurityGroup, Port.tcp(REDIS_PORT), 'Redis');
    // HTTPS can only leave through the DynamoDB gateway endpoint: the isolated subnets
    // have no other route out. (The endpoint's prefix list id needs a lookup, which would break offline synth.)
    this.functionSecurityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'DynamoDB through the gateway endpoint');
  }
}
