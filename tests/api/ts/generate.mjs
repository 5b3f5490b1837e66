// Types for a TypeScript client of the reelmaker API, from its OpenAPI schema:
//   node tests/api/ts/generate.mjs openapi.json schema.d.ts
// openapi-typescript as its documentation recommends for file uploads: the CLI's output, plus a
// transform that types `format: binary` (the upload's `file`) as a Blob instead of a string,
// so a File or Blob from the browser goes into the FormData of an upload as it is.
import { readFileSync, writeFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node generate.mjs <openapi.json> <schema.d.ts>");
  process.exit(2);
}

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());

const ast = await openapiTS(JSON.parse(readFileSync(input, "utf8")), {
  transform(schemaObject) {
    if (schemaObject.format === "binary") {
      return schemaObject.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    }
    return undefined;
  },
});
writeFileSync(output, astToString(ast));
