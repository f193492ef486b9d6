import type { AuthClientSummary } from '../../core/auth/clientSummary';
import type { ItemView } from './backendItems';
import { escape } from './statusBarView';

/** A row of the Clients view: an OAuth client registered with the agent, its granted tags and last use. */
export function clientItem(client: AuthClientSummary): ItemView {
  const tags = client.grantedTags.map((t) => `#${t}`).join(' ');
  const detail = client.authorized ? tags || 'all backends' : 'no grant';
  const tooltip = [
    `**${escape(client.clientName)}**${client.inProcess ? ' (this editor)' : ''}`,
    client.authorized ? `Granted tags: ${client.grantedTags.length ? client.grantedTags.map((t) => `\`${t}\``).join(', ') : 'none (scope validation off: all backends)'}` : 'No live grant',
    `Registered: ${new Date(client.registeredAt).toLocaleString()}`,
    `Last used: ${client.lastUsedAt ? new Date(client.lastUsedAt).toLocaleString() : 'never'}`,
    `Redirect URIs: ${client.redirectUris.map((u) => `\`${u}\``).join(', ')}`,
    `Client id: \`${client.clientId}\``,
  ];
  return {
    id: `client:${client.clientId}`,
    label: client.clientName,
    description: detail,
    tooltip: tooltip.join('\n\n'),
    icon: client.authorized ? { id: 'account', color: 'testing.iconPassed' } : { id: 'account', color: 'disabledForeground' },
    contextValue: client.authorized ? 'client:authorized' : 'client:unauthorized',
    collapsible: false,
    accessibilityLabel: `${client.clientName}: ${client.authorized ? `authorized${tags ? ` for ${tags}` : ''}` : 'no grant'}`,
  };
}
