#!/usr/bin/env node
// Health probe of the capture-room controller, for systemd (plain Node, no dependencies).
//   --url URL                 the kiosk API's state document
//   --wait SECONDS            wait until it answers (exit 1 if it never does): the kiosk screen's start
//   --state FILE --restart-after N --unit UNIT
//                             one probe; count consecutive failures in FILE and restart UNIT at N
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    wait: { type: 'string' },
    state: { type: 'string' },
    'restart-after': { type: 'string', default: '3' },
    unit: { type: 'string', default: 'rig.service' },
  },
});
if (!values.url) {
  console.error('rig-health: --url is required');
  process.exit(64);
}

async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const body = await res.json();
    return res.ok && typeof body === 'object' && body !== null && 'state' in body;
  } catch {
    return false;
  }
}

if (values.wait !== undefined) {
  const until = Date.now() + Number(values.wait) * 1000;
  while (!(await answers(values.url))) {
    if (Date.now() > until) {
      console.error(`rig-health: ${values.url} did not answer within ${values.wait} s`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.exit(0);
}

const ok = await answers(values.url);
const file = values.state;
let failures = 0;
if (file) {
  try {
    failures = Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    failures = 0;
  }
}
failures = ok ? 0 : failures + 1;
if (file) writeFileSync(file, `${failures}\n`);
if (ok) process.exit(0);
console.error(`rig-health: ${values.url} did not answer (${failures} in a row)`);
if (failures >= Number(values['restart-after'])) {
  console.error(`rig-health: restarting ${values.unit}`);
  if (file) writeFileSync(file, '0\n');
  execFileSync('systemctl', ['restart', values.unit], { stdio: 'inherit' });
}
process.exit(1);
