/** Where the dashboard's assets are, as webview URIs, and the CSP source of the webview. */
export interface DashboardAssets {
  readonly cspSource: string;
  readonly script: string;
  readonly style: string;
}

/**
 * The dashboard page: a strict CSP (no inline script; only our nonce'd bundle and our stylesheet from
 * `media/`), and a root element the bundle renders into.
 */
export function dashboardHtml(assets: DashboardAssets, nonce: string): string {
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${assets.cspSource}`,
    `font-src ${assets.cspSource}`,
    `img-src ${assets.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${assets.style}">
<title>1MCP Dashboard</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${assets.script}"></script>
</body>
</html>`;
}
