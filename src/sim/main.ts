// `npm run --silent sim`: JSON Lines on stdin, one JSON answer per line on stdout.
import { createInterface } from 'node:readline';
import { ProtocolSession } from './protocol';

const session = new ProtocolSession();
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  process.stdout.write(`${JSON.stringify(session.handle(line))}\n`);
});
rl.on('close', () => process.exit(0));
