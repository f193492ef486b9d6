/** Headless Chromium for tests that drive pages the way a person does (Debian's chromium, no downloads). */
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.ONEMCP_CHROMIUM ?? '/usr/bin/chromium';
/** Flags that let Chromium run as root on a machine with no network but loopback. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Screenshots of test runs (git-ignored). */
export const RESULTS_DIR = path.resolve(__dirname, '..', '..', 'test-results');

/**
 * Why browser tests cannot run here, or undefined when they can. With ONEMCP_E2E_REQUIRED=1 (CI) a
 * missing browser is an error, not a skip.
 */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.ONEMCP_E2E_REQUIRED === '1') throw new Error(reason);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Where a screenshot named `name` goes; the folder is created on first use. */
export function screenshotPath(group: string, name: string): string {
  const dir = path.join(RESULTS_DIR, group);
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
