// Starts the real secretsmanager-local binary ($SML_BINARY) for the JS SDK
// tests: free port, --in-memory, waits for GET /_local/health, and on stop
// sends SIGTERM and requires exit code 0. SML_TARGET=moto runs moto_server
// instead (only to debug the tests themselves).
import { spawn } from 'node:child_process';
import net from 'node:net';

const onMoto = process.env.SML_TARGET === 'moto';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer() {
  const port = await freePort();
  let cmd;
  let args;
  if (onMoto) {
    cmd = 'moto_server';
    args = ['-H', '127.0.0.1', '-p', String(port)];
  } else {
    cmd = process.env.SML_BINARY;
    if (!cmd) throw new Error('SML_BINARY is not set (ctest sets it to the built binary)');
    args = ['--host', '127.0.0.1', '--port', String(port), '--in-memory'];
  }
  // SML_* variables are server settings; a developer's shell must not leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SML_')));
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  let exited = null;
  const exit = new Promise((resolve) => proc.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));

  const endpoint = `http://127.0.0.1:${port}`;
  const healthPath = onMoto ? '/moto-api/' : '/_local/health';
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`server exited during start-up (${JSON.stringify(exited)}):\n${log}`);
    try {
      const res = await fetch(endpoint + healthPath);
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server not healthy after 10 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    endpoint,
    log: () => log,
    async stop() {
      if (!exited) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const { code, signal } = await exit;
      clearTimeout(timer);
      if (!onMoto && code !== 0) {
        throw new Error(`server exited with code ${code} signal ${signal} after SIGTERM:\n${log}`);
      }
    },
  };
}
