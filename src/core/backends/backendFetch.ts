import { setMaxListeners } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * The `fetch` the SDK's HTTP client transports use to reach one backend. MCP messages to the backend's
 * own endpoint go over Node's http module on keep-alive connections: about 0.3 ms less per call than
 * `fetch` on this path, which every proxied call takes. Anything else (OAuth discovery and token
 * requests, form bodies, other URLs) goes to the platform `fetch`, which follows redirects and encodes
 * bodies as the SDK expects.
 */
export function backendFetch(endpoint: URL): typeof fetch {
  return (input, init) => {
    // The SDK hands one connection-long AbortSignal to every request; fetch adds a listener per request
    // and drops it only at garbage collection, which trips Node's MaxListenersExceededWarning.
    if (init?.signal) setMaxListeners(0, init.signal);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init?.body;
    const direct = url.origin === endpoint.origin && url.pathname === endpoint.pathname && (body === undefined || body === null || typeof body === 'string');
    return direct ? nodeRequest(url, init ?? {}, body ?? undefined) : fetch(input, init);
  };
}

function nodeRequest(url: URL, init: RequestInit, body: string | undefined): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(new Headers(init.headers));
    const transport = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const request = transport.request(url, { method: init.method ?? 'GET', headers, agent, signal: init.signal ?? undefined }, (res) => {
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const status = res.statusCode ?? 502;
      const options = { status, statusText: res.statusMessage, headers: responseHeaders };
      if (status === 204 || status === 304 || init.method === 'HEAD') {
        res.resume();
        resolve(new Response(null, options));
      } else if (res.headers['content-type']?.startsWith('text/event-stream')) {
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, options));
      } else {
        // A whole body (JSON, errors) is cheaper read here than through a web stream.
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), options)));
        res.on('error', reject);
      }
    });
    request.on('error', reject);
    request.end(body);
  });
}
