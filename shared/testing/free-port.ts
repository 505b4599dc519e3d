import { createServer, type Server } from 'node:net';

function listenOnAnyPort(): Promise<{ srv: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      resolve({ srv, port: typeof addr === 'object' && addr ? addr.port : 0 });
    });
  });
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** `n` distinct free ports: each stays taken until all are found, so none is handed out twice. */
export async function freePorts(n: number): Promise<number[]> {
  const held: Array<{ srv: Server; port: number }> = [];
  try {
    for (let i = 0; i < n; i += 1) held.push(await listenOnAnyPort());
    return held.map((h) => h.port);
  } finally {
    await Promise.all(held.map((h) => new Promise<void>((resolve) => h.srv.close(() => resolve()))));
  }
}
