import { execFileSync, spawnSync } from 'node:child_process';
import { freePort } from '../../src/devstack';
import { testStack, uniqueName } from '../support/stack';
import { interpolate, readComposeFile, readEnvFile, ROOT, type Service } from './compose-support';
import { join } from 'node:path';

jest.setTimeout(120_000);

/** The script the temporal-namespace service runs, as its shell receives it. */
function namespaceScript(): string {
  const env = new Map([...readEnvFile(join(ROOT, '.env.example'), { commented: true }), ['POSTGRES_PASSWORD', 'x']]);
  const compose = interpolate(readComposeFile(), env, new Set()) as { services: Record<string, Service> };
  const service = compose.services['temporal-namespace']!;
  expect(service.entrypoint).toEqual(['/bin/sh', '-euc']);
  return (service.command as string[])[0]!;
}

/** Runs it the way the container does, with the temporal CLI (the same as admin-tools ships) on PATH. */
function runScript(script: string, env: Record<string, string>) {
  return spawnSync('/bin/sh', ['-euc', script], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 100_000 });
}

test('the namespace step registers TEMPORAL_NAMESPACE with its retention, and running it again changes nothing', () => {
  const namespace = uniqueName('compose-ns');
  const env = { TEMPORAL_ADDRESS: testStack().temporalAddress, NAMESPACE: namespace, RETENTION: '720h' };
  const first = runScript(namespaceScript(), env);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  expect(first.stdout).toContain(`namespace ${namespace} is ready`);
  const described = JSON.parse(execFileSync('temporal', ['operator', 'namespace', 'describe', '-n', namespace, '-o', 'json', '--address', env.TEMPORAL_ADDRESS], { encoding: 'utf8' })) as {
    config: { workflowExecutionRetentionTtl: string };
  };
  expect(described.config.workflowExecutionRetentionTtl).toBe(`${30 * 24 * 3600}s`);
  const again = runScript(namespaceScript(), env);
  expect(again.status).toBe(0);
  expect(again.stdout).toContain(`namespace ${namespace} is ready`);
});

test('without a Temporal to talk to, it gives up with a non-zero exit (Compose then restarts it, at most 5 times)', async () => {
  const env = { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, NAMESPACE: uniqueName('compose-ns'), RETENTION: '720h' };
  // The same script with 2 tries instead of 60, so the test does not wait two minutes.
  const res = runScript(namespaceScript().replace('-lt 60', '-lt 2'), env);
  expect(res.status).not.toBe(0);
  expect(res.stdout).toContain('waiting for Temporal');
  expect(res.stdout).not.toContain('is ready');
});
