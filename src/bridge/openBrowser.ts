import { spawn } from 'node:child_process';

/**
 * Opens `url` in the default browser where there is one (a desktop session); a failure is ignored, as
 * the URL is printed anyway. Windows gets `rundll32 url.dll,FileProtocolHandler`, which needs no shell
 * quoting for the `&` in a query.
 */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): void {
  if (platform !== 'darwin' && platform !== 'win32' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return;
  const [command, args] = platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', () => undefined);
    child.unref();
  } catch {
    // No browser: the URL is on stderr.
  }
}
