// Deliberately wrong: tests/api/test_typescript_client.py checks that tsc refuses this file,
// so a passing flow.ts means the generated types were really checked.
import createClient from "openapi-fetch";
import type { paths } from "reelmaker-api";

const client = createClient<paths>({ baseUrl: "http://localhost:8000" });

export async function wrong(): Promise<void> {
  // A duration is a number of seconds, not a word.
  await client.POST("/api/v1/stories/", { body: { keyword: "x", language: "en", duration_s: "eight" } });
}
