// The snippets of docs/guide/client-id-metadata-documents.md, compiled with the rest of the project
// (strict) and checked against the page by test/docs-snippets.e2e-spec.ts.
import { Module } from '@nestjs/common';
import { OAuthModule, type ClientIdUrlDecision, type OAuthClientIdMetadataDocumentsOptions } from 'nest-oauth2-provider';

// #region enable
@Module({
  imports: [
    OAuthModule.forRoot({
      issuer: 'https://shift.example',
      scopes: { profile: 'See your name and email address', 'files:read': 'See your files' },
      resources: {
        'https://shift.example/mcp': { scopes: ['profile', 'files:read'], name: 'SHIFT for AI agents' },
        'https://api.shift.example/': { scopes: ['profile'], name: 'SHIFT API' },
      },
      defaultResource: 'https://api.shift.example/',
      clientIdMetadataDocuments: {
        enabled: true,
        // Agents that name no resource get the MCP server.
        defaultResource: 'https://shift.example/mcp',
      },
    }),
  ],
})
export class AppModule {}
// #endregion enable

// #region policy
/** Only documents on hosts we have a contract with; partners' agents may read files too. */
export function allowClientIdUrl(url: URL): ClientIdUrlDecision {
  if (url.hostname === 'agents.partner.example') return { scopes: ['profile', 'files:read'] };
  if (url.hostname.endsWith('.trusted.example')) return true;
  return false;
}
// #endregion policy

// #region intranet
export const intranetDocuments: OAuthClientIdMetadataDocumentsOptions = {
  enabled: true,
  allowClientIdUrl,
  // Client ID Metadata Documents served from the company network (10.20.0.0/16) are fetched too.
  allowedAddresses: ['10.20.0.0/16'],
  // The company CA that signs the intranet hosts' certificates. It replaces the public CAs for
  // these fetches, so set it only when every document is served from the intranet.
  ca: process.env.INTRANET_CA_PEM,
};
// #endregion intranet
