// One reel: live progress from the event stream, the storyboard, the player and downloads.
import { api, upload, showError, text } from "./api.js";
import { followStory } from "./events.js";

const S = text("strings");
const root = document.getElementById("reel");
const storyId = root.dataset.story;
const $ = (id) => document.getElementById(id);
const fmt = (template, values) => template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
const WORKING = ["PLANNING", "PREVIEWING", "FINALIZING"];
const jobs = new Map();
let story = null;
let stream = null;
let watchdog = null;
let lastEventId = 0;

function fail(error) { showError($("reel-error"), error); }

// A story on autopilot goes from its plan to its render in one commit (jobs.pipeline), so a
// story that is not working now has no step coming by itself.
async function load() {
  story = await api("GET", `stories/${storyId}/`);
  renderStory();
  if (WORKING.includes(story.status)) follow();
}

async function loadJobs() {
  for (const job of await api("GET", `stories/${storyId}/jobs/`)) jobs.set(job.id, job);
  renderSteps();
}

// ---------------------------------------------------------------- progress

function follow() {
  if (stream) return;
  const onEvent = (event) => {
    lastEventId = Math.max(lastEventId, event.id);
    const p = event.payload;
    if (event.kind === "job" || event.kind === "progress") {
      const job = jobs.get(p.job) || { id: p.job };
      Object.assign(job, { kind: p.kind, scene: p.scene, progress: p.progress });
      if (event.kind === "job") Object.assign(job, { status: p.status, error_message: p.error_message });
      else job.status = job.status || "running";
      jobs.set(p.job, job);
      renderSteps();
    } else if (event.kind === "status") {
      setStatus(p.to);
    }
  };
  stream = followStory(storyId, {
    after: lastEventId,
    onEvent,
    onEnd: () => stop(),
    // A refused stream is not retried by EventSource: look again.
    onRefused: () => {
      stream = null;
      setTimeout(() => load().catch(fail), 2000);
    },
  });
  watchdog = setInterval(() => check().catch(() => {}), 4000);
}

function stop() {
  if (stream) stream.close();
  stream = null;
  clearInterval(watchdog);
  load().catch(fail);
}

// The stream is the fast path; a look at the story every few seconds keeps the page right
// if events stop arriving (a proxy that buffers, a stalled connection).
async function check() {
  const now = await api("GET", `stories/${storyId}/`);
  for (const job of await api("GET", `stories/${storyId}/jobs/`)) jobs.set(job.id, { ...jobs.get(job.id), ...job });
  renderSteps();
  if (now.status !== root.dataset.status) setStatus(now.status);
  if (stream && !WORKING.includes(now.status)) stop();
}

function setStatus(status) {
  $("status").textContent = S.statuses[status] || status;
  $("status").className = `badge status-${status.toLowerCase()}`;
  root.dataset.status = status;
}

function renderSteps() {
  const list = $("steps");
  list.replaceChildren();
  const ordered = [...jobs.values()].filter((j) => j.kind !== "webhook").sort((a, b) => a.id - b.id);
  for (const job of ordered.slice(-24)) {
    const row = document.createElement("li");
    const label = document.createElement("label");
    const bar = document.createElement("progress");
    bar.id = `job-${job.id}`;
    bar.max = 100;
    bar.value = job.status === "succeeded" ? 100 : job.progress || 0;
    label.htmlFor = bar.id;
    const scene = story && job.scene ? story.scenes.findIndex((s) => s.id === job.scene) + 1 : 0;
    label.textContent = `${S.kinds[job.kind] || job.kind}${scene > 0 ? ` · ${scene}` : ""} — ${S.job_statuses[job.status] || job.status || ""}`;
    row.className = `job job-${job.status}`;
    row.append(label, bar);
    list.append(row);
  }
}

function renderFailure() {
  const failed = story.status === "FAILED";
  $("failure").hidden = !failed;
  if (failed) $("failure-text").textContent = fmt(S.failed_step, { error: story.error_message || story.error_code });
}

$("retry").addEventListener("click", async () => {
  try {
    const failed = [...jobs.values()].filter((j) => j.status === "failed");
    for (const job of failed) await api("POST", `jobs/${job.id}/retry/`);
    await load();
    follow();
  } catch (error) { fail(error); }
});

// ---------------------------------------------------------------- storyboard

function sceneCards() { return [...$("scenes").children]; }

function renderScenes() {
  const list = $("scenes");
  list.replaceChildren();
  const scenes = [...story.scenes].sort((a, b) => a.position - b.position);
  scenes.forEach((scene, index) => {
    const card = $("scene-card").content.firstElementChild.cloneNode(true);
    const n = index + 1;
    card.dataset.scene = scene.id;
    const area = card.querySelector(".narration");
    area.id = `narration-${scene.id}`;
    area.value = scene.narration;
    const label = card.querySelector(".narration-label");
    label.htmlFor = area.id;
    label.textContent = fmt(S.scene_narration, { n });
    card.querySelector(".duration").textContent = scene.duration_ms ? fmt(S.scene_duration, { s: (scene.duration_ms / 1000).toFixed(1) }) : "";
    const thumb = card.querySelector(".thumb");
    if (scene.visual_url) {
      thumb.src = scene.visual_url;
      thumb.alt = fmt(S.scene_visual, { n });
      thumb.hidden = false;
      thumb.onerror = () => { thumb.hidden = true; };
      card.querySelector(".thumb-empty").hidden = true;
    }
    for (const button of card.querySelectorAll("button[data-do]")) {
      button.setAttribute("aria-label", `${button.textContent.trim()} — ${fmt(S.scene_n, { n })}`);
    }
    const q = card.querySelector(".search-q");
    q.id = `search-${scene.id}`;
    card.querySelector(".search-label").htmlFor = q.id;
    card.querySelector(".search-label").textContent = fmt(S.search_label, { n });
    const kind = card.querySelector(".search-kind");
    kind.id = `kind-${scene.id}`;
    card.querySelector(".kind-label").htmlFor = kind.id;
    card.querySelector(".kind-label").textContent = S.kind_label;
    const file = card.querySelector(".upload");
    file.id = `upload-${scene.id}`;
    card.querySelector(".upload-label").htmlFor = file.id;
    card.querySelector(".upload-label").textContent = S.upload_label;
    card.querySelector(".upload-progress").setAttribute("aria-label", S.upload_label);
    list.append(card);
  });
  $("lock").textContent = story.is_locked ? S.unlock : S.lock;
  $("lock").setAttribute("aria-pressed", String(story.is_locked));
  if (story.is_locked) note(S.locked);
}

function note(message) { $("board-note").textContent = message; }
function position(card) { return sceneCards().indexOf(card) + 1; }

async function reorder(ids, focusId, focusWhat) {
  story.scenes = await api("POST", `stories/${storyId}/scenes/reorder/`, { scene_ids: ids.map(Number) });
  renderScenes();
  note(S.moved);
  const card = $("scenes").querySelector(`[data-scene="${focusId}"]`);
  if (card) card.querySelector(`button[data-do="${focusWhat}"]`).focus();
}

async function act(card, what) {
  const sceneId = card.dataset.scene;
  const n = position(card);
  const ids = sceneCards().map((c) => c.dataset.scene);
  const at = ids.indexOf(sceneId);
  if (what === "save") {
    const narration = card.querySelector(".narration").value;
    await api("PATCH", `stories/${storyId}/scenes/${sceneId}/`, { narration });
    await load();
    note(fmt(S.saved, { n }));
  } else if (what === "up" || what === "down") {
    const to = what === "up" ? at - 1 : at + 1;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to], ids[at]];
    await reorder(ids, sceneId, what);
  } else if (what === "swap") {
    const panel = card.querySelector(".swap");
    panel.hidden = !panel.hidden;
    if (!panel.hidden) card.querySelector(".search-q").focus();
  } else if (what === "visual" || what === "voice") {
    await api("POST", `stories/${storyId}/scenes/${sceneId}/regenerate/`, { what });
    note(fmt(S.regenerating, { n }));
    await load();
  }
}

async function useVisual(card, pick) {
  const sceneId = card.dataset.scene;
  await api("POST", `stories/${storyId}/scenes/${sceneId}/visual/`, pick);
  const n = position(card);
  await load();
  note(fmt(S.saved, { n }));
}

async function search(card) {
  const q = card.querySelector(".search-q").value.trim();
  if (!q) return;
  const kind = card.querySelector(".search-kind").value;
  const orientation = { "9:16": "portrait", "16:9": "landscape", "1:1": "square" }[story.aspect] || "portrait";
  const params = new URLSearchParams({ q, kind, orientation });
  const found = await api("GET", `media/search?${params}`);
  const list = card.querySelector(".results");
  list.replaceChildren();
  const n = position(card);
  if (found.source === "offline") {
    const item = document.createElement("li");
    item.className = "note";
    item.textContent = S.offline_search;
    list.append(item);
  }
  for (const hit of found.results) {
    const item = document.createElement("li");
    item.className = "result";
    const img = document.createElement("img");
    img.src = hit.thumbnail_url;
    img.alt = hit.credit || hit.provider;
    img.width = 64;
    const credit = document.createElement("small");
    credit.textContent = [hit.credit, hit.licence].filter(Boolean).join(" · ");
    const use = document.createElement("button");
    use.type = "button";
    use.textContent = S.use_short;
    use.setAttribute("aria-label", fmt(S.use, { n }));
    use.addEventListener("click", () => useVisual(card, hit.asset_id ? { asset: hit.asset_id } : { choice: hit.choice }).catch(fail));
    item.append(img, credit, use);
    list.append(item);
  }
  if (!found.results.length) list.append(Object.assign(document.createElement("li"), { textContent: S.nothing_found }));
}

$("scenes").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-do]");
  if (!button) return;
  button.disabled = true;
  act(button.closest(".scene"), button.dataset.do).catch(fail).finally(() => { button.disabled = false; });
});

$("scenes").addEventListener("submit", (event) => {
  event.preventDefault();
  search(event.target.closest(".scene")).catch(fail);
});

$("scenes").addEventListener("change", async (event) => {
  if (!event.target.classList.contains("upload")) return;
  const card = event.target.closest(".scene");
  const bar = card.querySelector(".upload-progress");
  bar.hidden = false;
  try {
    const data = new FormData();
    data.append("file", event.target.files[0]);
    data.append("story", storyId);
    const asset = await upload(data, (done) => { bar.value = done; });
    await useVisual(card, { asset: asset.id });
  } catch (error) { fail(error); }
});

// Drag to reorder (the Move up / Move down buttons do the same from the keyboard).
let dragged = null;
$("scenes").addEventListener("dragstart", (event) => { dragged = event.target.closest(".scene"); });
$("scenes").addEventListener("dragover", (event) => event.preventDefault());
$("scenes").addEventListener("drop", (event) => {
  event.preventDefault();
  const target = event.target.closest(".scene");
  if (!dragged || !target || target === dragged) return;
  const ids = sceneCards().map((c) => c.dataset.scene);
  ids.splice(ids.indexOf(dragged.dataset.scene), 1);
  ids.splice(ids.indexOf(target.dataset.scene), 0, dragged.dataset.scene);
  reorder(ids, dragged.dataset.scene, "up").catch(fail);
});

$("lock").addEventListener("click", async () => {
  try {
    await api("POST", `stories/${storyId}/${story.is_locked ? "unlock" : "lock"}/`);
    await load();
    if (!story.is_locked) note("");
  } catch (error) { fail(error); }
});

// ---------------------------------------------------------------- preview, final, downloads

function renderPlayer() {
  const media = story.media;
  const source = media.final || media.preview;
  const player = $("player");
  if (source && player.dataset.src !== source) { player.src = source; player.dataset.src = source; }
  player.hidden = !source;
  $("make-preview").hidden = story.status !== "PLANNED";
  $("make-final").hidden = !["PLANNED", "PREVIEW_READY"].includes(story.status);
  $("finished").hidden = !media.final;
  for (const [id, key] of [["dl-final", "final"], ["dl-thumbnail", "thumbnail"], ["dl-srt", "captions_srt"], ["dl-vtt", "captions_vtt"]]) {
    const link = $(id);
    link.hidden = !media[key];
    if (media[key]) link.href = media[key];
  }
  const qc = story.qc;
  $("qc").hidden = !qc;
  if (qc) {
    $("qc-summary").textContent = { PASS: S.qc_pass, WARN: S.qc_warn, FAIL: S.qc_fail }[qc.status];
    $("qc-problems").replaceChildren(...qc.checks.filter((c) => c.status !== "PASS").map(
      (c) => Object.assign(document.createElement("li"), { textContent: c.message || c.name })));
  }
  $("post").hidden = !story.post_caption;
  $("post-caption").value = story.post_caption || "";
  $("post-hashtags").value = (story.hashtags || []).map((tag) => `#${tag.replace(/^#+/, "")}`).join(" ");
}

async function start(action) {
  try {
    const started = await api("POST", `stories/${storyId}/${action}/`, {});
    story = started.story;
    renderStory();
    follow();
  } catch (error) { fail(error); }
}
$("make-preview").addEventListener("click", () => start("generate_preview"));
$("make-final").addEventListener("click", () => start("render_final"));

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const value = $(button.dataset.copy).value;
  try { await navigator.clipboard.writeText(value); } catch { $(button.dataset.copy).select(); }
  note(S.copied);
  button.dataset.copied = "true";
});

function renderStory() {
  setStatus(story.status);
  $("reel-title").textContent = story.title || story.keyword;
  renderScenes();
  renderPlayer();
  renderFailure();
}

Promise.all([load(), loadJobs()]).catch(fail);
