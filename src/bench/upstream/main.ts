// Entry of an upstream process (bundled to one file by ../bundle.ts, run by plain node): reads its
// configuration from HEADROOM_UPSTREAM, listens on a free loopback port, reports it, then answers
// the stack's messages. It ends when the stack says stop, and also when the IPC channel closes —
// the stack (headroom) is gone, whatever way it died.
import { PoolInstance } from './server.ts';
import type { ChildMessage, ParentMessage, UpstreamConfig } from './protocol.ts';

function send(m: ChildMessage): void {
  if (process.connected) process.send!(m);
}

const raw = process.env.HEADROOM_UPSTREAM;
if (!raw || !process.send) {
  process.stderr.write('headroom upstream: start me through the live stack (HEADROOM_UPSTREAM and an IPC channel are needed)\n');
  process.exit(2);
}
const cfg = JSON.parse(raw) as UpstreamConfig;
const instance = new PoolInstance(cfg);
process.on('disconnect', () => process.exit(0));
process.on('message', (m: ParentMessage) => {
  switch (m.type) {
    case 'sample': send({ type: 'sample', id: m.id, sample: instance.sample(m.final) }); break;
    case 'scrape': send({ type: 'scrape', id: m.id, counters: instance.counters() }); break;
    case 'warmup': instance.endWarmup(); break;
    case 'next': instance.setNext(m.next); break;
    case 'stop': instance.close(); process.exit(0);
    case 'finish': {
      instance.close();
      const sample = instance.sample(true);
      if (process.connected) process.send!({ type: 'sample', id: m.id, sample } satisfies ChildMessage, () => process.exit(0));
      else process.exit(0);
    }
  }
});
instance.server.on('error', (e) => {
  send({ type: 'fatal', message: e.message });
  process.exit(1);
});
instance.server.listen(0, '127.0.0.1', () => {
  const addr = instance.server.address();
  send({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0, pid: process.pid });
});
