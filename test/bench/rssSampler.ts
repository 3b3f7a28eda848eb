import { Worker } from 'node:worker_threads';

/**
 * The process's peak RSS while synchronous work runs. The high-water mark of the OS (`maxRSS`)
 * cannot be reset, so it would also count whatever built the work's input; a worker thread
 * samples the resident set instead, and keeps sampling while the main thread is busy.
 */
export interface RssSampler {
  /** Stops sampling and answers the highest RSS seen, in bytes. */
  stop(): Promise<number>;
}

const SAMPLER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let peak = process.memoryUsage.rss();
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
parentPort.on('message', () => {
  clearInterval(timer);
  parentPort.postMessage(Math.max(peak, process.memoryUsage.rss()));
});
parentPort.postMessage('sampling');
`;

export async function startRssSampler(): Promise<RssSampler> {
  const worker = new Worker(SAMPLER_SOURCE, { eval: true });
  await new Promise<void>((resolveStarted, reject) => {
    worker.once('message', () => resolveStarted());
    worker.once('error', reject);
  });
  return {
    async stop() {
      const peak = new Promise<number>((resolvePeak) => worker.once('message', resolvePeak));
      worker.postMessage('stop');
      const bytes = await peak;
      await worker.terminate();
      return bytes;
    },
  };
}
