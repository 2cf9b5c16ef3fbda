// Collects every GraphQL operation shown in the README and docs/ into generated/operations.graphql,
// so the code generator checks each against schema.graphql (an example that no longer fits the
// schema fails here). Operations are renamed apart when two share a name.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const sources = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];
const seen = new Map();
const operations = [];
for (const source of sources) {
  const text = readFileSync(join(root, source), "utf8");
  let unnamed = 0;
  for (const [, shown] of text.matchAll(/```graphql\n([\s\S]*?)\n```/g)) {
    // the query shorthand `{ … }` (a line opening with a brace) is a query without a name
    const block = shown.replace(/^\{/gm, "query {");
    const named = block.replace(/^(query|mutation|subscription)(\s*)(\w*)/gm, (match, kind, space, name) => {
      const base = name || `${source.replace(/\W+/g, "_")}_${kind}_${++unnamed}`;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      return `${kind} ${count > 1 ? `${base}_${count}` : base}${name ? "" : " "}`;
    });
    operations.push(`# from ${source}\n${named.replace(/^#.*$/gm, "")}`);
  }
}
mkdirSync(join(root, "clients/typescript/generated"), { recursive: true });
writeFileSync(join(root, "clients/typescript/generated/operations.graphql"), operations.join("\n\n") + "\n");
console.log(`${operations.length} GraphQL blocks from ${sources.length} files`);
