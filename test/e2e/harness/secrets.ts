// Checks that a secret is kept only by SecretStorage: in no file of the editor (settings, state,
// logs, extension storage, home) and nowhere in the browser's storage as plain text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Scenario } from './scenario';
import { filesUnder } from './workbench';

/**
 * Every IndexedDB record and localStorage item of the workbench page, as text. Plain JavaScript in a
 * string: functions compiled by tsx carry helpers that do not exist in the page.
 */
const READ_BROWSER_STORAGE = `(async () => {
  const out = [];
  const asText = (v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : typeof v === 'string' ? v : JSON.stringify(v));
  const all = (request) => new Promise((resolve) => { request.onsuccess = () => resolve(request.result || []); });
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await new Promise((resolve, reject) => { const r = indexedDB.open(info.name); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    for (const name of Array.from(db.objectStoreNames)) {
      const store = db.transaction(name, 'readonly').objectStore(name);
      const [keys, values] = await Promise.all([all(store.getAllKeys()), all(store.getAll())]);
      keys.forEach((key, i) => out.push({ where: 'indexedDB ' + info.name + '/' + name + '/' + String(key), text: asText(values[i]) }));
    }
    db.close();
  }
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i) || '';
    out.push({ where: 'localStorage ' + key, text: localStorage.getItem(key) || '' });
  }
  return out;
})()`;

async function browserStorage(page: Page): Promise<{ where: string; text: string }[]> {
  return (await page.evaluate(READ_BROWSER_STORAGE)) as { where: string; text: string }[];
}

export async function secretNowhere(s: Scenario, secret: string): Promise<void> {
  const needle = Buffer.from(secret);
  const files = filesUnder(s.server.root).filter((f) => !f.endsWith('.sock'));
  assert.ok(files.some((f) => f.endsWith('settings.json')), 'the settings file is among the files searched');
  assert.deepEqual(files.filter((f) => readIfThere(f)?.includes(needle)), [], 'files containing the secret');
  const storage = await browserStorage(s.page);
  assert.deepEqual(storage.filter((item) => item.text.includes(secret)).map((item) => item.where), [], 'browser storage containing the secret');
  // code-server's SecretStorage: encrypted, in the browser's localStorage.
  assert.ok(storage.some((item) => item.where === 'localStorage secrets.provider'), 'SecretStorage holds something');
}

/** The bytes of `file`, or undefined when it went between the listing and the read (a temp file renamed into place). */
function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
