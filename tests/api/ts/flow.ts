// A frontend's whole flow against the reelmaker API, written only with the types that
// openapi-typescript generates from the schema (module `reelmaker-api`) and openapi-fetch.
// tests/api/test_typescript_client.py type-checks it under `tsc --strict`: a schema change
// that would break a frontend breaks this file first.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "reelmaker-api";

type Schemas = components["schemas"];
type Story = Schemas["Story"];
type StoryEvent = Schemas["Event"];
type ApiError = Schemas["Error"];

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
  ) {
    super(body ? `${body.error.code}: ${body.error.message}` : `HTTP ${status}`);
  }
}

/** The data of a successful call, or an ApiFailure carrying the error envelope. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new ApiFailure(result.response.status, result.error as ApiError | undefined);
  }
  return result.data;
}

export function connect(baseUrl: string, language: "ko" | "en") {
  const client = createClient<paths>({ baseUrl, headers: { "Accept-Language": language } });
  let tokens: { access: string; refresh: string } | undefined;

  // Every request carries the current access token (refresh() swaps in a new pair).
  const auth: Middleware = {
    onRequest({ request }) {
      if (tokens) request.headers.set("Authorization", `Bearer ${tokens.access}`);
      return request;
    },
  };
  client.use(auth);

  async function register(email: string, password: string): Promise<number> {
    const user = ok(await client.POST("/api/v1/auth/register/", { body: { email, password } }));
    return user.id;
  }

  async function login(email: string, password: string): Promise<void> {
    tokens = ok(await client.POST("/api/v1/auth/login/", { body: { email, password } }));
  }

  async function refresh(): Promise<void> {
    if (!tokens) throw new Error("log in first");
    // Rotation: the answer is a new pair, the old refresh token is spent.
    tokens = ok(await client.POST("/api/v1/auth/refresh/", { body: { refresh: tokens.refresh } }));
  }

  async function createStory(keyword: string): Promise<Story> {
    return ok(
      await client.POST("/api/v1/stories/", {
        body: {
          keyword,
          language,
          duration_s: 8,
          aspect: "9:16",
          business: { name: "Moonlight Books", place: "Maple Street", offer: "tea on the house" },
        },
      }),
    );
  }

  /** A work-starting action: 202 with the story in its working status and the queued jobs. */
  async function plan(storyId: number): Promise<number[]> {
    const started = ok(
      await client.POST("/api/v1/stories/{story_id}/plan/", {
        params: { path: { story_id: storyId } },
      }),
    );
    return started.job_ids;
  }

  async function preview(storyId: number): Promise<Story["status"]> {
    const started = ok(
      await client.POST("/api/v1/stories/{story_id}/generate_preview/", {
        params: { path: { story_id: storyId } },
      }),
    );
    return started.story.status;
  }

  async function final(storyId: number): Promise<Story["status"]> {
    const started = ok(
      await client.POST("/api/v1/stories/{story_id}/render_final/", {
        params: { path: { story_id: storyId } },
      }),
    );
    return started.story.status;
  }

  async function failedJobs(storyId: number): Promise<string[]> {
    const page = ok(
      await client.GET("/api/v1/jobs/", {
        params: { query: { story: storyId, status: ["failed"], page: 1 } },
      }),
    );
    return page.results.map((job) => `${job.kind}: ${job.error_message}`);
  }

  async function upload(storyId: number, file: Blob, name: string): Promise<string | null> {
    const asset = ok(
      await client.POST("/api/v1/media/uploads/", {
        body: { file, kind: "image", story: storyId },
        bodySerializer(body) {
          const form = new FormData();
          if (!body) return form;
          form.append("file", body.file, name);
          if (body.kind) form.append("kind", body.kind);
          if (body.story !== undefined) form.append("story", String(body.story));
          return form;
        },
      }),
    );
    return asset.url;
  }

  /** An EventSource cannot send headers: it opens the stream with a short-lived ticket. */
  async function eventSourceUrl(storyId: number): Promise<string> {
    const ticket = ok(
      await client.POST("/api/v1/stories/{story_id}/events/ticket/", {
        params: { path: { story_id: storyId } },
      }),
    );
    const url = new URL(`/api/v1/stories/${storyId}/events/stream/`, baseUrl);
    url.searchParams.set("ticket", ticket.ticket);
    return url.toString();
  }

  /** One line per event, each payload read through the union that its `kind` selects. */
  function describe(event: StoryEvent): string {
    switch (event.kind) {
      case "status":
        return `status ${event.payload.from} -> ${event.payload.to}`;
      case "job":
        return `job ${event.payload.job} (${event.payload.kind}) ${event.payload.status}`;
      case "progress":
        return `progress ${event.payload.kind} ${event.payload.progress}%`;
      case "webhook":
        return `webhook ${event.payload.type} after transition ${event.payload.transition}`;
      case "degraded":
        return `degraded ${event.payload.step} (scene ${event.payload.scene ?? "-"}): ${event.payload.reason}`;
      case "qc":
        return `qc ${event.payload.profile} ${event.payload.status}: ${event.payload.failed.join(", ")}`;
      default:
        // New kinds may come inside v1 (README, Versioning): show them, do not fail.
        return "another event";
    }
  }

  /** Polls the JSON form of the event log until the story rests; returns its status. */
  async function follow(storyId: number, log: (line: string) => void): Promise<string> {
    let after = 0;
    for (;;) {
      const page = ok(
        await client.GET("/api/v1/stories/{story_id}/events/", {
          params: { path: { story_id: storyId }, query: { after, format: "json" } },
        }),
      );
      page.results.forEach((event) => log(describe(event)));
      after = page.last_event_id;
      if (page.is_final) return page.status;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /** A refused step, read by its code: the allowed moves of an illegal transition. */
  async function tryFinalTooEarly(storyId: number): Promise<string> {
    const { error, response } = await client.POST("/api/v1/stories/{story_id}/render_final/", {
      params: { path: { story_id: storyId } },
    });
    if (!error) return `started (${response.status})`;
    switch (error.error.code) {
      case "ILLEGAL_TRANSITION":
        return `not now; allowed: ${(error.error.details.allowed ?? []).join(", ")}`;
      case "RATE_LIMIT_EXCEEDED":
        return `slow down: retry in ${response.headers.get("Retry-After") ?? "?"} s`;
      default:
        return `${error.error.code}: ${error.error.message}`;
    }
  }

  return {
    register,
    login,
    refresh,
    createStory,
    plan,
    preview,
    final,
    failedJobs,
    upload,
    eventSourceUrl,
    follow,
    tryFinalTooEarly,
  };
}

/** The flow a new user goes through, start to finish. */
export async function makeAReel(baseUrl: string, cover: Blob): Promise<Story["status"]> {
  const api = connect(baseUrl, "en");
  const log = (line: string) => console.log(line);
  await api.register("sam@example.com", "correct-horse-battery-9");
  await api.login("sam@example.com", "correct-horse-battery-9");
  await api.refresh();
  const story = await api.createStory("rainy day bookshop");
  log(`story ${story.id}: ${story.status}, hashtags ${story.hashtags.join(" ")}`);
  log(await api.tryFinalTooEarly(story.id));
  await api.upload(story.id, cover, "cover.png");
  const stream = new EventSource(await api.eventSourceUrl(story.id));
  stream.addEventListener("status", (message) => log(`stream: ${String(message.data)}`));

  await api.plan(story.id);
  if ((await api.follow(story.id, log)) !== "PLANNED") throw new Error("plan failed");
  await api.preview(story.id);
  await api.follow(story.id, log);
  const status = await api.final(story.id);
  await api.follow(story.id, log);
  (await api.failedJobs(story.id)).forEach(log);
  stream.close();
  return status;
}
