// The API report: every name each entry point exports, with its declared signature, read from the
// built declarations (dist/**/*.d.ts) with the TypeScript compiler. The reports are checked in, so a
// change to the public surface shows as a diff in review. `npm run api:update` rewrites them;
// `npm run api:check` (run in CI after the build) fails when they no longer match the build.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const lib = join(here, '..');
const pkg = JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8'));
const entries = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && target.types)
  .map(([subpath, target]) => ({
    name: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
    file: join(lib, target.types),
    report: join(here, `${subpath === '.' ? 'index' : subpath.slice(2)}.api.md`),
  }));

const missing = entries.filter((e) => !existsSync(e.file)).map((e) => relative(lib, e.file));
if (missing.length) {
  console.error(`api report: ${missing.join(', ')} not built: run \`npm run build:lib\` first`);
  process.exit(1);
}

const program = ts.createProgram(
  entries.map((e) => e.file),
  { strict: true, skipLibCheck: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
);
const checker = program.getTypeChecker();
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function render(entry) {
  const source = program.getSourceFile(entry.file);
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).sort((a, b) => a.name.localeCompare(b.name));
  const blocks = exports.map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    let text = (target.declarations ?? [])
      .map((decl) => (ts.isVariableDeclaration(decl) ? decl.parent.parent : decl))
      .map((node) =>
        printer
          .printNode(ts.EmitHint.Unspecified, node, node.getSourceFile())
          .replace(/^export declare /gm, '')
          .replace(/^export /gm, ''),
      )
      // Private members are not API: a host can neither call nor override them.
      .map((printed) => printed.replace(/^ {4}private [^\n]*\n/gm, ''))
      .join('\n');
    const inherited = (target.declarations ?? []).filter(ts.isClassDeclaration).flatMap((decl) => inheritedStatics(target, decl));
    if (inherited.length) text += `\n// inherited by ${symbol.name}:\n${inherited.join('\n')}`;
    const renamed = target.name !== symbol.name && target.name !== 'default' ? `// exported as ${symbol.name}\n` : '';
    return renamed + text;
  });
  return [
    `# API report: \`${entry.name}\``,
    '',
    '<!-- Generated from the built declarations by `npm run api:update`; do not edit by hand. -->',
    '',
    `${exports.length} exported names: ${exports.map((s) => `\`${s.name}\``).join(', ')}.`,
    '',
    '```ts',
    blocks.join('\n\n'),
    '```',
    '',
  ].join('\n');
}

/** Static methods a class gets from its base (e.g. `forRoot` from Nest's ConfigurableModuleClass), spelled out. */
function inheritedStatics(symbol, decl) {
  const own = new Set((symbol.exports ? [...symbol.exports.keys()] : []).map(String));
  const statics = checker.getTypeOfSymbolAtLocation(symbol, decl);
  return checker
    .getPropertiesOfType(statics)
    .filter((p) => !own.has(p.name) && p.name !== 'prototype')
    .flatMap((p) =>
      checker
        .getSignaturesOfType(checker.getTypeOfSymbolAtLocation(p, decl), ts.SignatureKind.Call)
        .map((sig) => checker.signatureToString(sig, decl, ts.TypeFormatFlags.NoTruncation))
        // Names only: where a type is declared is not API.
        .map(
          (sig) => `//   static ${p.name}${sig.replace(/import\("[^"]*"(?:, \{ with: \{ "resolution-mode": "[a-z]+" \} \})?\)\./g, '')};`,
        ),
    )
    .sort();
}

const update = process.argv.includes('--update');
let drift = 0;
for (const entry of entries) {
  const text = render(entry);
  const current = existsSync(entry.report) ? readFileSync(entry.report, 'utf8') : undefined;
  if (update) {
    if (current !== text) writeFileSync(entry.report, text);
    console.log(`${current === text ? 'unchanged' : 'written  '} ${relative(lib, entry.report)}`);
  } else if (current !== text) {
    drift++;
    console.error(`api report: ${relative(lib, entry.report)} does not match the public surface of ${entry.name}.`);
    printDiff(current ?? '', text);
  }
}
if (drift) {
  console.error('If the change is intended, run `npm run api:update` and commit the reports with it.');
  process.exit(1);
}
if (!update) console.log(`api report: ${entries.length} entry points match their reports`);

function printDiff(before, after) {
  const a = new Set(before.split('\n'));
  const b = new Set(after.split('\n'));
  for (const line of before.split('\n')) if (!b.has(line)) console.error(`- ${line}`);
  for (const line of after.split('\n')) if (!a.has(line)) console.error(`+ ${line}`);
}
