import type { Result } from '@modelcontextprotocol/sdk/types.js';

/** Gives the URI a caller sees for one its backend named (and notes who named it). */
export type UriRenamer = (uri: string) => string;

type Block = { type?: unknown; uri?: unknown; resource?: { uri?: unknown } };

/**
 * The result with every resource URI it names passed through `rename`: resource links and embedded
 * resources in a tool result's `content` or a prompt's `messages`, and the `contents` of a read. Every
 * URI is shown to `rename` (which remembers who named it); the result is copied only where a URI
 * changes, so a result that names none, or none that collides, goes on as the same object (and keeps
 * the bytes it came in).
 */
export function renameResultUris(result: Result, rename: UriRenamer): Result {
  const { content, messages, contents } = result as { content?: unknown; messages?: unknown; contents?: unknown };
  let renamed = result;
  if (Array.isArray(content)) {
    const blocks = renameBlocks(content as Block[], rename);
    if (blocks !== content) renamed = { ...renamed, content: blocks };
  }
  if (Array.isArray(messages)) {
    const list = messages as { content?: Block }[];
    let changed = false;
    const next = list.map((message) => {
      const block = message.content && renameBlock(message.content, rename);
      if (block === undefined || block === message.content) return message;
      changed = true;
      return { ...message, content: block };
    });
    if (changed) renamed = { ...renamed, messages: next };
  }
  if (Array.isArray(contents)) {
    let changed = false;
    const next = (contents as { uri?: unknown }[]).map((item) => {
      if (typeof item.uri !== 'string') return item;
      const uri = rename(item.uri);
      if (uri === item.uri) return item;
      changed = true;
      return { ...item, uri };
    });
    if (changed) renamed = { ...renamed, contents: next };
  }
  return renamed;
}

function renameBlocks(blocks: Block[], rename: UriRenamer): Block[] {
  let changed = false;
  const next = blocks.map((block) => {
    const renamed = renameBlock(block, rename);
    if (renamed !== block) changed = true;
    return renamed;
  });
  return changed ? next : blocks;
}

function renameBlock(block: Block, rename: UriRenamer): Block {
  if (block.type === 'resource_link' && typeof block.uri === 'string') {
    const uri = rename(block.uri);
    return uri === block.uri ? block : { ...block, uri };
  }
  if (block.type === 'resource' && typeof block.resource?.uri === 'string') {
    const uri = rename(block.resource.uri);
    return uri === block.resource.uri ? block : { ...block, resource: { ...block.resource, uri } };
  }
  return block;
}
