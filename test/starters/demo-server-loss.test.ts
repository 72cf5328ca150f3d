import { createServer, type Server } from 'node:net';
import { DemoStop, explainFailure, serverLost, splitAddress } from '../../src/starters/demo-server-loss';
import type { ServiceExit } from '../../src/devstack';

/**
 * How the demo tells "its server went away" from "its run failed". A killed server's established connections can
 * close a moment before its listening socket does, so the run's connection error may come while the port still
 * answers: the demo must still name the server (CI saw it print the connection error instead, one time in forty).
 */

let server: Server | undefined;
afterEach(() => server?.close());

async function listening(): Promise<{ address: string; close: () => Promise<void> }> {
  const s = createServer((socket) => socket.destroy());
  server = s;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  return { address: `127.0.0.1:${port}`, close: () => new Promise<void>((r) => s.close(() => r())) };
}

const runError = new Error('Temporal at 127.0.0.1 is unreachable');

test('the run fails while the port still answers and the server exits just after: the server is named, not the connection error', async () => {
  const port = await listening();
  let exit!: (e: ServiceExit) => void;
  const exited = new Promise<ServiceExit>((r) => (exit = r));
  const lost = serverLost({ own: { exited, logFile: '/tmp/x/temporal.log' }, address: port.address }, () => false);
  lost.catch(() => undefined);
  const explained = explainFailure(runError, lost, port.address, 10_000);
  setTimeout(() => void port.close().then(() => exit({ code: null, signal: 'SIGKILL' })), 100);
  await expect(explained).rejects.toEqual(new DemoStop('the Temporal dev server the demo started has stopped (SIGKILL); its log: /tmp/x/temporal.log', 1));
});

test('the run fails and the server outlives the grace, still answering: the run\'s own error stands', async () => {
  const port = await listening();
  const lost = serverLost({ own: { exited: new Promise<ServiceExit>(() => undefined), logFile: 'l' }, address: port.address }, () => false);
  await expect(explainFailure(runError, lost, port.address, 200)).rejects.toBe(runError);
});

test('the run fails and nothing answers at the port any more, before the server is seen gone: the server is named', async () => {
  const port = await listening();
  await port.close();
  await expect(explainFailure(runError, new Promise<never>(() => undefined), port.address, 200)).rejects.toEqual(
    new DemoStop(`Temporal at ${port.address} stopped answering; the demo gives up`, 1),
  );
});

test('a server the demo did not start is lost after three missed checks, and not while the demo is stopping', async () => {
  const port = await listening();
  let stopping = false;
  const lost = serverLost({ own: null, address: port.address }, () => stopping);
  const settled = jest.fn();
  lost.then(settled, settled);
  await new Promise((r) => setTimeout(r, 1500));
  expect(settled).not.toHaveBeenCalled();
  await port.close();
  await expect(lost).rejects.toEqual(new DemoStop(`Temporal at ${port.address} stopped answering; the demo gives up`, 1));

  const other = await listening();
  stopping = true;
  const quiet = serverLost({ own: null, address: other.address }, () => stopping);
  const heard = jest.fn();
  quiet.then(heard, heard);
  await other.close();
  await new Promise((r) => setTimeout(r, 4500));
  expect(heard).not.toHaveBeenCalled();
}, 20_000);

test('an address that is not host:port says what is expected', () => {
  expect(() => splitAddress('localhost')).toThrow('--temporal "localhost" is not host:port (e.g. 127.0.0.1:7233)');
  expect(() => splitAddress('127.0.0.1:70000')).toThrow(DemoStop);
  expect(splitAddress('[::1]:7233')).toEqual(['::1', 7233]);
});
