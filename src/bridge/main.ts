// `dist/proxy.js`: `onemcp proxy` on its own, the script stdio-only clients start (connect writes it
// into their configs). It loads only the bridge, not the agent: a smaller process for each client.
import { runProxyCommand } from './proxyCommand';

void runProxyCommand(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n(onemcp proxy --help shows the options)\n`);
    process.exit(2);
  },
);
