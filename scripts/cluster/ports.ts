// Loopback ports for the cluster's processes: a preferred port when free, else the next free one,
// so a cluster runs beside `npm start` or another checkout's cluster.
import net from 'node:net';

const HOST = '127.0.0.1';
// Temporal keeps membership ports in a PostgreSQL smallint: stay below 32768, and below Linux's
// ephemeral range (32768+), where outgoing connections take their ports.
const ANY_FROM = 20_000;
const ANY_TO = 32_767;

function listenOn(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: HOST, exclusive: true }, () => resolve(server));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Free loopback ports, one per entry of `preferred`: each preferred port when free, else the next
 * free one above it (within 100); 0 takes any free port from 20000–32767, starting at random. All are
 * held open together until every one is chosen, so none is handed out twice.
 */
export async function pickPorts(preferred: readonly number[]): Promise<number[]> {
  const held: net.Server[] = [];
  try {
    const chosen: number[] = [];
    for (const wanted of preferred) {
      let server: net.Server | undefined;
      const span = wanted === 0 ? ANY_TO - ANY_FROM + 1 : 100;
      const first = wanted === 0 ? ANY_FROM + Math.floor(Math.random() * span) : wanted;
      for (let i = 0; i < span && !server; i += 1) {
        const port = wanted === 0 ? ANY_FROM + ((first - ANY_FROM + i) % span) : first + i;
        if (!chosen.includes(port)) server = await listenOn(port);
      }
      if (!server) throw new Error(`no free port for ${wanted || 'any'} on ${HOST}`);
      held.push(server);
      chosen.push((server.address() as net.AddressInfo).port);
    }
    return chosen;
  } finally {
    await Promise.all(held.map(close));
  }
}
