import * as z from 'zod';

/**
 * What the MCP Registry says about a server (its `server.json`), read leniently: the fields an install
 * needs, any others ignored, unknown kinds kept as strings so one odd entry does not hide the rest.
 * Reference: the registry's `server.schema.json` (ServerDetail, Package, KeyValueInput, Argument).
 */
const input = z.object({
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  /** A fixed value; `{name}` in it refers to `variables`. */
  value: z.string().optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
});

const inputWithVariables = input.extend({ variables: z.record(z.string(), input).optional() });

/** An environment variable or a header. */
const keyValueInput = inputWithVariables.extend({ name: z.string().min(1) });

/** A command-line argument: `positional` (its value) or `named` (`name`, then its value if any). */
const argument = inputWithVariables.extend({
  type: z.string(),
  name: z.string().optional(),
  valueHint: z.string().optional(),
});

const transport = z.object({ type: z.string(), url: z.string().optional() });

const serverPackage = z.object({
  /** `npm`, `pypi`, `oci`, `nuget`, `mcpb`… */
  registryType: z.string(),
  identifier: z.string().min(1),
  version: z.string().optional(),
  runtimeHint: z.string().optional(),
  runtimeArguments: z.array(argument).optional(),
  packageArguments: z.array(argument).optional(),
  environmentVariables: z.array(keyValueInput).optional(),
  transport: transport.optional(),
});

const remote = z.object({
  /** `streamable-http` or `sse`. */
  type: z.string(),
  url: z.string().min(1),
  headers: z.array(keyValueInput).optional(),
  variables: z.record(z.string(), input).optional(),
});

export const serverJsonSchema = z.object({
  /** Reverse-DNS name, e.g. `io.github.user/weather`. */
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  version: z.string().optional(),
  websiteUrl: z.string().optional(),
  repository: z.object({ url: z.string().optional() }).optional(),
  packages: z.array(serverPackage).optional(),
  remotes: z.array(remote).optional(),
});

/** One item of a v0.1 answer: the server.json and the registry's own `_meta`. */
const serverResponse = z.object({ server: serverJsonSchema });

/** `GET /v0.1/servers`: a page of servers and the cursor of the next one. */
export const serverListSchema = z.object({
  servers: z.array(serverResponse),
  metadata: z.object({ nextCursor: z.string().nullish() }).optional(),
});

/** `GET /v0.1/servers/{name}/versions/{version}`. */
export const serverResponseSchema = serverResponse;

export type ServerJson = z.infer<typeof serverJsonSchema>;
export type RegistryPackage = z.infer<typeof serverPackage>;
export type RegistryRemote = z.infer<typeof remote>;
export type RegistryInput = z.infer<typeof input>;
export type KeyValueInput = z.infer<typeof keyValueInput>;
export type RegistryArgument = z.infer<typeof argument>;
