import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import express from 'express';
import { ManualClock } from '../../src/core/clock';
import { errorHandler } from '../../src/core/http/errorHandler';
import { rateLimit } from '../../src/core/http/oauth/rateLimit';
import { silentLogger } from '../../src/core/logger';
import { rawRequest } from '../helpers/loopback';

void it('answers 429 with Retry-After past the limit, until the window passes', async () => {
  const clock = new ManualClock();
  const app = express();
  app.post('/token', rateLimit({ windowMs: 60_000, max: 2 }, clock), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler(silentLogger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  try {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(url, { method: 'POST' })).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const limited = await fetch(url, { method: 'POST' });
    assert.equal(limited.headers.get('retry-after'), '60');
    assert.equal(((await limited.json()) as { error: string }).error, 'too_many_requests');
    clock.advance(60_000);
    assert.equal((await fetch(url, { method: 'POST' })).status, 200);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

void it('limits per network and in all where asked, counting only what passes', async () => {
  const clock = new ManualClock();
  const app = express();
  app.post('/register', rateLimit({ windowMs: 60_000, max: 2 }, clock, { perNetwork: 3, overall: 4 }), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler(silentLogger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/register`;
  const from = async (localAddress: string) => {
    const answer = await rawRequest(url, { method: 'POST', localAddress });
    return answer.status === 429 ? (JSON.parse(answer.body) as { error_description: string }).error_description : answer.status;
  };
  try {
    // Addresses of this machine's loopback: .2 and .3 share a /24, 127.0.1.5 is another network.
    assert.deepEqual([await from('127.0.0.2'), await from('127.0.0.2'), await from('127.0.0.2')], [200, 200, 'Too many requests from this address; try again later']);
    assert.deepEqual([await from('127.0.0.3'), await from('127.0.0.3')], [200, 'Too many requests from this network; try again later']);
    assert.deepEqual([await from('127.0.1.5'), await from('127.0.1.5')], [200, 'Too many requests from all addresses together; try again later']);
    clock.advance(60_000);
    assert.equal(await from('127.0.0.3'), 200, 'a new window');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
