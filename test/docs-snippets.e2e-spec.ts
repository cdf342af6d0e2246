import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

// A TypeScript block in README.md or docs/ that follows `<!-- snippet: test/examples/<file>.ts#<name> -->`
// shows the lines of that file's `// #region <name>`, which the build compiles: a page cannot show code
// that no longer compiles against the library.
const root = join(__dirname, '..', '..');
const SNIPPET = /<!-- snippet: (\S+?)#([\w-]+) -->\s*\n```ts\n([\s\S]*?)```/g;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.') || name === 'node_modules') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const common = Math.min(...indents);
  return lines.map((l) => l.slice(common)).join('\n');
}

function region(file: string, name: string): string {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  const end = lines.findIndex((l) => l.trim() === `// #endregion ${name}`);
  assert.ok(start >= 0 && end > start, `${file} has no region "${name}"`);
  return dedent(lines.slice(start + 1, end));
}

const pages = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];
const snippets = pages.flatMap((page) =>
  [...readFileSync(page, 'utf8').matchAll(SNIPPET)].map(([, file, name, code]) => ({ page: relative(root, page), file, name, code })),
);

describe('code snippets in README.md and docs/', () => {
  it('shows the getting-started code in README.md and in the guide', () => {
    const shown = (page: string) => snippets.filter((s) => s.page === page).map((s) => s.name);
    for (const name of ['app-module', 'interaction', 'guarded-controller', 'swap-store'])
      for (const page of ['README.md', join('docs', 'guide', 'getting-started.md')])
        assert.ok(shown(page).includes(name), `${page} shows test/examples/getting-started.ts#${name}`);
  });

  for (const { page, file, name, code } of snippets) {
    it(`${page}: ${file}#${name} is the compiled example, verbatim`, () => {
      assert.ok(/^test\/examples\/[\w.-]+\.ts$/.test(file) && existsSync(join(root, file)), `${file} is a file under test/examples/`);
      assert.equal(dedent(code.replace(/\n$/, '').split('\n')), region(file, name));
    });
  }
});
