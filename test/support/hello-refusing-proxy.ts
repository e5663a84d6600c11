/**
 * A TCP front for a redis-server that answers `HELLO` with NOPERM and relays everything
 * else: the stance of an ACL-restricted ElastiCache node. Redis 7.0's own ACLs cannot
 * refuse HELLO (it is exempt from ACL checks, like AUTH), so a local server cannot take
 * this stance by configuration.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface HelloRefusingProxy {
  readonly port: number;
  /** HELLO commands refused so far. */
  readonly refused: number;
  stop(): Promise<void>;
}

const NOPERM = Buffer.from("-NOPERM User default has no permissions to run the 'hello' command\r\n");

/**
 * Splits a client's bytes into whole RESP commands (arrays of bulk strings, what clients
 * send). Returns the commands and the unparsed rest; `null` for bytes that are not a RESP
 * array (an inline command), which are relayed untouched.
 */
function takeCommands(buffer: Buffer): { commands: { name: string; bytes: Buffer }[]; rest: Buffer } | null {
  const commands: { name: string; bytes: Buffer }[] = [];
  let offset = 0;
  for (;;) {
    if (offset >= buffer.length) break;
    if (buffer[offset] !== 0x2a /* '*' */) return null;
    const start = offset;
    const line = (from: number): [string, number] | null => {
      const end = buffer.indexOf('\r\n', from);
      return end === -1 ? null : [buffer.toString('latin1', from + 1, end), end + 2];
    };
    const header = line(offset);
    if (!header) break;
    let cursor = header[1];
    let name = '';
    let complete = true;
    for (let i = 0; i < Number(header[0]); i++) {
      const length = cursor < buffer.length ? line(cursor) : null;
      if (!length || length[1] + Number(length[0]) + 2 > buffer.length) {
        complete = false;
        break;
      }
      if (i === 0) name = buffer.toString('latin1', length[1], length[1] + Number(length[0])).toUpperCase();
      cursor = length[1] + Number(length[0]) + 2;
    }
    if (!complete) break;
    commands.push({ name, bytes: buffer.subarray(start, cursor) });
    offset = cursor;
  }
  return { commands, rest: buffer.subarray(offset) };
}

export async function startHelloRefusingProxy(targetPort: number, port = 0): Promise<HelloRefusingProxy> {
  let refused = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      const parsed = takeCommands(pending);
      if (!parsed) {
        upstream.write(pending);
        pending = Buffer.alloc(0);
        return;
      }
      for (const command of parsed.commands) {
        // Clients send HELLO first on a connection, before any reply is due, so answering
        // it here keeps the replies in order.
        if (command.name === 'HELLO') {
          refused++;
          client.write(NOPERM);
        } else upstream.write(command.bytes);
      }
      pending = Buffer.from(parsed.rest);
    });
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the proxy has no port');
  return {
    port: address.port,
    get refused() {
      return refused;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
