import * as z from 'zod';
import { CONFIRM_WORDS, PROTOCOL_PREFERENCES, TAG_NAME_PATTERN, TOOL_MODES, TRANSPORT_TYPES } from './words';

const tagName = z
  .string()
  .min(1)
  .max(64)
  .regex(TAG_NAME_PATTERN, 'tags may contain only letters, digits, "_", "-", ".", ":"');

const millis = z.number().int().positive();

/** `"none"`, `"destructive"`, `"all"`, or tool-name patterns (`*` any run of characters, `?` one): see words.ts. */
const confirmSchema = z.union([z.enum(CONFIRM_WORDS), z.array(z.string().min(1).max(200)).min(1)]);

/** Pre-registered OAuth client for a backend that does not support dynamic registration. */
export const backendOAuthSchema = z.object({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).optional(),
});

/**
 * One backend MCP server. Accepts the 1MCP format and VS Code's `servers` entries; unknown keys are
 * ignored so files written for either tool load here.
 */
export const serverEntrySchema = z
  .object({
    /** Transport; inferred from `command` (stdio) or `url` (http) when absent. */
    type: z.enum(TRANSPORT_TYPES).optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    /** Working directory of a stdio server; relative paths resolve against the config file's folder. */
    cwd: z.string().min(1).optional(),
    url: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    tags: z.array(tagName).default([]),
    disabled: z.boolean().default(false),
    /** Tool names (the backend's own) hidden from clients and refused on call. */
    disabledTools: z.array(z.string()).default([]),
    /** Namespace prefix for names this server exposes; default the server name, `""` for none. */
    prefix: z
      .string()
      .max(32)
      .regex(/^[A-Za-z0-9_-]*$/, 'prefix may contain only letters, digits, "_" and "-"')
      .optional(),
    /** Milliseconds allowed for connecting and initializing. */
    connectionTimeout: millis.default(30_000),
    /** Milliseconds allowed for any single request to this backend. */
    requestTimeout: millis.default(60_000),
    restartOnExit: z.boolean().default(true),
    maxRestarts: z.number().int().min(0).default(5),
    /** Milliseconds before the first restart; doubles on each further attempt. */
    restartDelay: millis.default(1_000),
    oauth: backendOAuthSchema.optional(),
    /**
     * The MCP era spoken to this server: `auto` tries the 2025 handshake and moves to 2026-07-28 when
     * the server asks for it (remembering what worked), `modern` pins 2026-07-28, `legacy` the handshake.
     */
    protocol: z.enum(PROTOCOL_PREFERENCES).default('auto'),
    /**
     * Pin this server's tool definitions (default true): a tool that changes, or a new one, is held back
     * from clients until the user accepts it. `false` serves whatever the server offers.
     */
    pinTools: z.boolean().default(true),
    /** Ask the calling client before these tools run; the top-level `confirm` when absent. */
    confirm: confirmSchema.optional(),
  })
  .superRefine((entry, ctx) => {
    const type = entry.type ?? (entry.command ? 'stdio' : entry.url ? 'http' : undefined);
    if (!type) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'needs "command" (stdio) or "url" (http, sse)' });
    } else if (type === 'stdio' && !entry.command) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'a stdio server needs "command"' });
    } else if (type !== 'stdio' && !entry.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${type} server needs "url"` });
    }
  });

export type ServerEntryInput = z.input<typeof serverEntrySchema>;

/** A preset is a tag-filter expression, or a list of tags of which any must match. */
export const presetSchema = z.union([z.string().min(1), z.array(tagName).min(1)]);

/** A VS Code style input (`${input:id}`), asked for once and kept in the SecretStore. */
export const inputSchema = z.object({
  id: z.string().min(1),
  type: z.string().default('promptString'),
  description: z.string().optional(),
  password: z.boolean().optional(),
});

/**
 * Defaults for a client, keyed by the name it gives in `initialize` (`clientInfo.name`, any case) or
 * `"*"` for every other client. `toolMode`: `all`, `search` or `auto` (see README "Tool search").
 */
const clientDefaultsSchema = z.object({ toolMode: z.enum(TOOL_MODES).optional() });

/** The activity record: `arguments` records calls' arguments too, secret-looking values cut out (off by default). */
const activitySchema = z.object({ arguments: z.boolean().default(false) }).strict();

const serversRecord = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'server names may contain only letters, digits, "_", "-", "."'), serverEntrySchema);

export const configFileSchema = z
  .object({
    mcpServers: serversRecord.optional(),
    servers: serversRecord.optional(),
    inputs: z.array(inputSchema).default([]),
    presets: z.record(z.string().min(1), presetSchema).default({}),
    clients: z.record(z.string().min(1), clientDefaultsSchema).default({}),
    activity: activitySchema.default({ arguments: false }),
    /** Ask the calling client before these tools run, for every server without its own `confirm`. */
    confirm: confirmSchema.default('none'),
  })
  .superRefine((file, ctx) => {
    if (file.mcpServers && file.servers) {
      for (const name of Object.keys(file.servers)) {
        if (Object.hasOwn(file.mcpServers, name)) {
          ctx.addIssue({ code: 'custom', path: ['servers', name], message: 'defined in both "mcpServers" and "servers"' });
        }
      }
    }
  });
