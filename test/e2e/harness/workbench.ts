// Playwright handles on the VS Code workbench in code-server.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, RESULTS_DIR, ROOT } from './tools';

/** How long one wait for the workbench may take before the test fails. */
const ACTION_TIMEOUT_MS = 90_000;

export async function openWorkbench(url: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Every wait below is for an event (an element, a frame, a log line); on a busy machine the workbench
  // can take long to get there, so a wait gives up late rather than flakes.
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { browser, page };
}

/** Another window of the same editor: a tab in the same browser profile (so it shares SecretStorage). */
export async function openWindow(browser: Browser, url: string): Promise<Page> {
  const [context] = browser.contexts();
  if (!context) throw new Error('the browser has no window open');
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

/**
 * Runs a command from the palette (F1) by its title, e.g. "1MCP: Restart Agent". A busy workbench can
 * drop the key press (focus still moving, an editor or webview taking it), so F1 is pressed again until
 * the palette shows, each time after the previous press had a moment to take effect.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const deadline = Date.now() + ACTION_TIMEOUT_MS;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 }, trial: true });
    await page.keyboard.press('F1');
    const shown = await input.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (shown) break;
    if (Date.now() > deadline) throw new Error(`the command palette did not open to run "${title}"`);
  }
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await input.press('Enter');
}

/** Picks the quick pick row whose label contains `text`. */
export async function pickQuickItem(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor();
  await row.click();
}

/** Types into the open quick input and presses Enter; resolves once VS Code has taken the answer (see acceptInput). */
export async function answerInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(text);
  await acceptInput(page);
}

/**
 * Presses Enter in the open input box and waits until the box has taken its value: it closes, or gives
 * way to the next box (another title). An input box with a validator closes only after the validator's
 * round trip to the extension host, so an answer typed at once would land in the box still open.
 */
export async function acceptInput(page: Page): Promise<void> {
  const title = await page.locator('.quick-input-widget .quick-input-title').innerText();
  await page.locator('.quick-input-widget input').press('Enter');
  await page.waitForFunction((before) => {
    const widget = document.querySelector<HTMLElement>('.quick-input-widget');
    if (!widget || widget.style.display === 'none') return true;
    return widget.querySelector('.quick-input-title')?.textContent !== before;
  }, title, { timeout: ACTION_TIMEOUT_MS, polling: 'raf' });
}

/** Shows the 1MCP view container (idempotent, unlike clicking its activity bar entry, which toggles). */
export async function showBackendsView(page: Page): Promise<void> {
  await runCommand(page, 'View: Show 1MCP');
  await page.locator('.pane-header', { hasText: 'Backends' }).first().waitFor();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Right-clicks `target` and runs `item` from its context menu (hover + Enter: the menu ignores a fast synthetic click). */
export async function contextMenu(page: Page, target: Locator, item: string): Promise<void> {
  await target.click({ button: 'right' });
  const entry = page.getByRole('menuitem', { name: item });
  await entry.hover();
  await page.keyboard.press('Enter');
  await entry.waitFor({ state: 'hidden' });
}

/** Hides the bottom panel (Output, Terminal…) if it is open. */
export async function hidePanel(page: Page): Promise<void> {
  if (!(await page.locator('.part.panel').isVisible())) return;
  await runCommand(page, 'View: Hide Panel');
  await page.locator('.part.panel').waitFor({ state: 'hidden' });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

export function statusBarItem(page: Page) {
  return page.locator('.statusbar-item', { hasText: '1MCP' }).first();
}

/** The tree row with this accessible label prefix (backend rows read "<name>: <status>…"). */
export function treeRow(page: Page, label: string) {
  return page.locator(`.monaco-list-row[aria-label^="${label}"]`).first();
}

/**
 * Saves a screenshot under test-results/e2e/. With `readme` and ONEMCP_UPDATE_SCREENSHOTS=1 it also
 * refreshes media/screenshots/<readme>.jpg, the pictures in the README.
 */
export async function screenshot(page: Page, name: string, options: { readme?: string } = {}): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  if (options.readme && process.env.ONEMCP_UPDATE_SCREENSHOTS === '1') {
    await page.screenshot({ path: path.join(ROOT, 'media', 'screenshots', `${options.readme}.jpg`), type: 'jpeg', quality: 80 });
  }
  return file;
}

/** A frame (webview) containing `selector`, once it appears. */
export async function frameWith(page: Page, selector: string, timeout = ACTION_TIMEOUT_MS): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame with ${selector}`);
}

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const file = path.join(dir, name);
    // A file can go between the listing and this look (a temp file renamed into place).
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(file) : [file];
  });
}

/** The text of the extension's "1MCP" output channel, from the extension host's log files. */
export function extensionLog(userDataDir: string): string {
  return filesUnder(path.join(userDataDir, 'logs'))
    .filter((f) => /output_logging_.*-1MCP\.log$/.test(f) || (f.includes(`${path.sep}exthost`) && f.endsWith('1MCP.log')))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

export { filesUnder };

/** Polls `check` until it returns a value (not undefined/false), or throws after `timeout` ms. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeout = ACTION_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
