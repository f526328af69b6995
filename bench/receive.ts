/**
 * Receive benchmark: how many flows per second the relay client receives and decodes (protobuf →
 * lib Flow) from the demo cluster at full rate, with the server in a separate process.
 *
 *   npx tsx bench/receive.ts [--seconds 30] [--rate 200000] [--port 4399] [--relay demo|replay]
 *
 * `--relay replay` serves from bench/replay-relay.ts (demo flows encoded once, about 2 µs a flow)
 * instead of the demo cluster (every flow simulated, about 15 µs), so the client is the limit.
 * Prints the client's receive-and-decode rate next to what the server generated in the same
 * window (ServerStatus.seen_flows) and the lost events it reported, so the ratio is visible.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { RelayClient } from '../server/hubble/relay-client';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' }, rate: { type: 'string', default: '200000' }, port: { type: 'string', default: '4399' },
    relay: { type: 'string', default: 'demo' },
  },
});
if (values.relay !== 'demo' && values.relay !== 'replay') throw new Error(`--relay ${values.relay}: expected demo or replay`);
const seconds = Number(values.seconds);
const address = `127.0.0.1:${values.port}`;

const relayArgs = values.relay === 'replay'
  ? ['--import', 'tsx', 'bench/replay-relay.ts', '--listen', address, '--rate', String(values.rate)]
  : ['bin/hubble-dashboard.mjs', 'demo', '--listen', address, '--rate', String(values.rate)];
const server = spawn(process.execPath, relayArgs, {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, LOG_LEVEL: 'warn' },
});
const client = new RelayClient({ address });

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await client.serverStatus();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`demo server on ${address} did not come up`);
}

async function main(): Promise<void> {
  await waitForServer();
  const abort = new AbortController();
  let flows = 0;
  let lost = 0;
  const before = await client.serverStatus();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const timer = setTimeout(() => abort.abort(), seconds * 1000);
  for await (const response of client.getFlows({ follow: true, number: 1 }, abort.signal)) {
    if (response.flow) flows++;
    else if (response.lost_events) lost += Number(response.lost_events.num_events_lost ?? 0);
  }
  clearTimeout(timer);
  const elapsedS = (performance.now() - started) / 1000;
  const after = await client.serverStatus();
  const generated = Number(after.seen_flows ?? 0) - Number(before.seen_flows ?? 0);
  const rss = process.memoryUsage().rss / 2 ** 20;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPct = ((cpu.user + cpu.system) / 1e6 / elapsedS) * 100;
  process.stdout.write(
    [
      `receive benchmark, ${elapsedS.toFixed(1)} s, ${values.relay === 'replay' ? 'replay relay (bench/replay-relay.ts)' : 'demo server'} at --rate ${values.rate} in a separate process`,
      `  client received and decoded: ${Math.round(flows / elapsedS).toLocaleString('en-US')} flows/s (${flows.toLocaleString('en-US')} flows)`,
      `  server generated (limit):     ${Math.round(generated / elapsedS).toLocaleString('en-US')} flows/s (${generated.toLocaleString('en-US')} flows)`,
      `  ratio received/generated:     ${(flows / Math.max(1, generated)).toFixed(2)}`,
      `  lost events reported:         ${lost.toLocaleString('en-US')}`,
      `  client RSS:                   ${rss.toFixed(0)} MiB, CPU ${cpuPct.toFixed(0)}% of one core`,
      '',
    ].join('\n'),
  );
}

main()
  .catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    client.close();
    server.kill('SIGTERM');
  });
