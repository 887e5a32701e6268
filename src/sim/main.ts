// `npm run --silent sim`: JSON Lines on stdin, one JSON answer per line on stdout.
import { createInterface } from 'node:readline';
import { loadEngineParts } from '../engine';
import { ProtocolSession } from './protocol';

// The protocol answers synchronously, so the engine's on-demand half is loaded before the first line.
await loadEngineParts();

const session = new ProtocolSession();
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  process.stdout.write(`${JSON.stringify(session.handle(line))}\n`);
});
rl.on('close', () => process.exit(0));
