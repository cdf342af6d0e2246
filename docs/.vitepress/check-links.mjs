// Checks every Markdown link of README.md and docs/ that points into this repository: the file must
// exist, and a `#fragment` must name a heading of the target. VitePress refuses links to missing
// pages but not to missing headings, and README.md is not part of the site at all, so this runs
// after `vitepress build`. A docs page is read on GitHub as well as on the site, which slug headings
// differently, so its headings must give the same anchor under both rules.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { SITE_FILES } from './site-files.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const docs = join(root, 'docs');

/** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** VitePress's heading anchors (the `slugify` of @mdit-vue/shared, its default). */
export function siteSlug(text) {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .replace(/[\u0000-\u001f]/g, '')
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

/** The text of a heading as both renderers see it: inline code and links reduced to their text. */
function headingText(raw) {
  return raw
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_]{1,2}([^*_]+)[*_]{1,2}/g, '$1')
    .trim();
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text) {
  const out = [];
  let fence;
  text.split('\n').forEach((line, i) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (open && (!fence || open[1].startsWith(fence))) fence = fence ? undefined : open[1][0].repeat(3);
    else if (!fence) out.push({ line, number: i + 1 });
  });
  return out;
}

/** Each heading's anchor under both rules, numbered on repeats as both renderers do. */
function anchors(file) {
  const seen = new Map();
  const result = [];
  for (const { line, number } of proseLines(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = headingText(heading[1]);
    const count = seen.get(text) ?? 0;
    seen.set(text, count + 1);
    const suffix = count ? `-${count}` : '';
    result.push({ text, number, github: githubSlug(text) + suffix, site: siteSlug(text) + suffix });
  }
  return result;
}

function markdownFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.') || name === 'node_modules') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

function links(file) {
  const found = [];
  for (const { line, number } of proseLines(readFileSync(file, 'utf8'))) {
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ target: m[1], number });
    for (const m of prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) found.push({ target: m[1], number });
  }
  return found;
}

const problems = [];
const inDocs = (file) => file.startsWith(docs + sep);
const sources = [join(root, 'README.md'), ...markdownFiles(docs)];
const anchorCache = new Map();
const anchorsOf = (file) => anchorCache.get(file) ?? anchorCache.set(file, anchors(file)).get(file);

for (const file of sources.filter(inDocs)) {
  for (const a of anchorsOf(file)) {
    if (a.github !== a.site)
      problems.push(
        `${relative(root, file)}:${a.number}: heading "${a.text}" is #${a.github} on GitHub but #${a.site} on the site; reword it`,
      );
  }
}

let checked = 0;
for (const file of sources) {
  for (const { target, number } of links(file)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
    checked++;
    const where = `${relative(root, file)}:${number}: ${target}`;
    const [pathPart, fragment] = target.split('#', 2);
    const path = pathPart ? resolve(dirname(file), decodeURIComponent(pathPart)) : file;
    if (pathPart.startsWith('/')) {
      problems.push(`${where}: use a relative link, which works on GitHub and on the site`);
      continue;
    }
    if (!existsSync(path)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (inDocs(file) && !inDocs(path) && !SITE_FILES[relative(root, path)]) {
      problems.push(`${where}: not part of the site; link a docs page, or name the file in code`);
      continue;
    }
    if (fragment === undefined) continue;
    if (!path.endsWith('.md')) {
      problems.push(`${where}: a fragment on a file that has no headings`);
      continue;
    }
    const slugs = anchorsOf(path);
    const ok = inDocs(file) ? slugs.some((a) => a.github === fragment && a.site === fragment) : slugs.some((a) => a.github === fragment);
    if (!ok) problems.push(`${where}: no heading #${fragment} in ${relative(root, path)}`);
  }
}

if (problems.length) {
  console.error(`${problems.length} broken link(s) or anchor(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`docs links: ${checked} links to files and headings of this repository, all resolve (${sources.length} files).`);
