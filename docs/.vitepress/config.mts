import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { SITE_FILES } from './site-files.mjs';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(docs, '..');

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Guide',
    items: [
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'The sample: SHIFT and CustomApp', link: '/guide/sample' },
      { text: 'Authorization server', link: '/guide/authorization-server' },
      { text: 'Consent and error pages', link: '/guide/pages' },
      { text: 'Protect an API', link: '/guide/protect-an-api' },
      { text: 'Storage and migrations', link: '/guide/stores' },
      { text: 'Admin CLI', link: '/guide/cli' },
      { text: 'Clients in code', link: '/guide/clients' },
      { text: 'Client ID Metadata Documents', link: '/guide/client-id-metadata-documents' },
      { text: 'Dynamic client registration', link: '/guide/dynamic-registration' },
      { text: 'OpenID Connect', link: '/guide/openid-connect' },
      { text: 'Fastify', link: '/guide/fastify' },
    ],
  },
  {
    text: 'Resources and audiences',
    items: [
      { text: 'Resources', link: '/guide/resources' },
      { text: 'JWT access tokens', link: '/guide/jwt-access-tokens' },
      { text: 'A resource server on another host', link: '/guide/remote-resource-server' },
      { text: 'Protected resource metadata', link: '/guide/protected-resource-metadata' },
      { text: 'Protect your MCP server', link: '/guide/mcp' },
    ],
  },
  {
    text: 'Production',
    items: [
      { text: 'Operations', link: '/guide/operations' },
      { text: 'Several instances', link: '/guide/several-instances' },
      { text: 'Security model', link: '/guide/security' },
      { text: 'Security policy', link: '/security-policy' },
    ],
  },
  {
    text: 'Reference',
    items: [
      { text: 'Options', link: '/reference/options' },
      { text: 'Endpoints', link: '/reference/endpoints' },
      { text: 'Errors', link: '/reference/errors' },
      { text: 'MCP conformance', link: '/reference/mcp-conformance' },
      { text: 'OpenID Connect conformance', link: '/reference/openid-conformance' },
      { text: 'Glossary', link: '/reference/glossary' },
    ],
  },
  {
    text: 'Project',
    items: [
      { text: 'Benchmarks', link: '/benchmarks' },
      { text: 'Benchmark results', link: '/benchmark-results' },
      { text: 'Contributing', link: '/contributing' },
      { text: 'Node versions and builds', link: '/node-versions' },
      { text: 'Releasing', link: '/releasing' },
    ],
  },
];

export default defineConfig({
  title: 'nest-oauth2-provider',
  description: 'OAuth 2.0 authorization server and resource server for NestJS',
  outDir: '../dist/docs-site',
  cleanUrls: true,
  // Dead links fail the build (VitePress's default, kept); check-links.mjs adds the anchors.
  ignoreDeadLinks: false,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Reference', link: '/reference/options' },
      { text: 'Contributing', link: '/contributing' },
    ],
    sidebar: guide.filter((group) => group.items?.length),
    outline: [2, 3],
    search: { provider: 'local' },
  },
  markdown: {
    config(md) {
      // A docs page links a repository file such as ../../SECURITY.md, which works on GitHub; on the
      // site that file is a page of its own, so the link is pointed there.
      md.core.ruler.push('repository-files', (state) => {
        const page: string | undefined = state.env?.relativePath;
        if (!page) return;
        for (const token of state.tokens.flatMap((t) => t.children ?? [])) {
          const href = token.type === 'link_open' ? token.attrGet('href') : null;
          if (!href || /^[a-z][a-z0-9+.-]*:|^[#/]/i.test(href)) continue;
          const [path, fragment] = href.split('#', 2);
          const file = relative(root, resolve(docs, dirname(page), decodeURIComponent(path)));
          if (file.startsWith('docs/') || !SITE_FILES[file]) continue;
          token.attrSet('href', `/${SITE_FILES[file]}${fragment === undefined ? '' : `#${fragment}`}`);
        }
      });
    },
  },
});
