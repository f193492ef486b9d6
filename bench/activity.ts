/**
 * What the activity record costs a call: the recorder's work on the call path (begin, then ok) for a
 * tools/call, timed call by call in this process, with the record appended to a JSON-lines file in a
 * temp folder as the agent does. The file's batched writes are timed too, spread over the calls.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ClientRequest } from '@modelcontextprotocol/sdk/types.js';
import { createRecorder, type CallerIdentity } from '../src/core/activity/activityRecorder';
import { silentLogger } from '../src/core/logger';
import { percentile } from './measure';

export interface RecordingResult {
  readonly calls: number;
  /** The recorder's work on the call path, per call. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Everything, the file's writes included, over the number of calls. */
  readonly meanWithFileMs: number;
}

const WHO: CallerIdentity = { client: 'bench-client', session: '5f0c2a4e-8d1b-4c3f-9e7a-2b6d1f0e3a9c', era: 'handshake' };

export async function benchRecording(plan: { readonly warmup: number; readonly iterations: number }): Promise<RecordingResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onemcp-bench-activity-'));
  const recorder = createRecorder({ file: path.join(dir, 'activity.jsonl') }, silentLogger, { recordArguments: () => false });
  if (!recorder) throw new Error('no recorder');
  const samples: number[] = [];
  const call = (i: number): void => {
    const params = { name: 'echo', arguments: { text: `hello ${i}` } };
    const request = { method: 'tools/call', params } as ClientRequest;
    const started = performance.now();
    const pending = recorder.begin(WHO, { method: 'tools/call', target: 'echo_1mcp_echo', server: 'echo', serverTarget: 'echo', requestId: i, params }, request);
    const result = { content: [{ type: 'text', text: `echo: hello ${i}` }] };
    pending?.ok(result, result);
    if (i >= 0) samples.push(performance.now() - started);
  };
  try {
    for (let i = 0; i < plan.warmup; i++) call(-1);
    await recorder.flush();
    const started = performance.now();
    for (let i = 0; i < plan.iterations; i++) call(i);
    await recorder.flush();
    const wallMs = performance.now() - started;
    samples.sort((a, b) => a - b);
    return { calls: samples.length, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), meanWithFileMs: wallMs / plan.iterations };
  } finally {
    await recorder.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
