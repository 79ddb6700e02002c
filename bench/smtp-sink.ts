// An SMTP server for load tests, run as its own process so receiving mail never competes with the
// load generator for its thread: accepts every message and prints one line per message,
// `<epoch ms> <Message-ID>`, stamped when the message's data is complete (what the sender's
// SMTP transaction waits for). Prints `listening <port>` first. Stops on SIGTERM.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

const HEADER_END = '\r\n\r\n';
const MESSAGE_ID = /^message-id:[ \t]*(<[^>\r\n]+>)/im;

const server = new SMTPServer({
  name: 'smtp-sink.settle.local',
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (!head.includes(HEADER_END)) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const at = Date.now();
      const id = MESSAGE_ID.exec(head.split(HEADER_END)[0] ?? '')?.[1] ?? '-';
      process.stdout.write(`${at} ${id}\n`);
      callback();
    });
  },
});
server.on('error', (error: Error) => process.stderr.write(`smtp-sink: ${error.message}\n`));
server.listen(Number(process.env.SMTP_SINK_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
