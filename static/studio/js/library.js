// My library: search by words, retag, and use a picture or clip in a scene of any reel.
import { api, showError, text } from "./api.js";

const S = text("strings");
const $ = (id) => document.getElementById(id);
const fmt = (template, values) => template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
const fail = (error) => showError($("library-error"), error);

function preview(item) {
  if (item.kind === "image") return Object.assign(document.createElement("img"), { src: item.url, alt: item.prompt || item.credit || S.picture, width: 72, height: 128 });
  const media = document.createElement(item.kind === "video" ? "video" : "audio");
  media.src = item.url;
  media.controls = true;
  media.preload = "none";
  media.setAttribute("aria-label", item.prompt || (item.kind === "video" ? S.clip : S.track));
  return media;
}

async function search(event) {
  if (event) event.preventDefault();
  const params = new URLSearchParams();
  for (const [key, value] of new FormData($("library-search"))) if (value) params.set(key, value);
  const page = await api("GET", `media/library?${params}`);
  const items = page.results || page;
  $("library").replaceChildren(...items.map((item) => {
    const row = document.createElement("li");
    row.className = "card reel";
    const body = document.createElement("div");
    body.className = "reel-body";
    const tags = Object.assign(document.createElement("input"), { value: item.tags || "", id: `tags-${item.id}` });
    const label = Object.assign(document.createElement("label"), { htmlFor: tags.id, textContent: S.tags });
    const credit = Object.assign(document.createElement("small"), { textContent: [item.credit, item.licence].filter(Boolean).join(" · ") });
    body.append(label, tags, credit);
    const actions = document.createElement("div");
    actions.className = "actions";
    const save = Object.assign(document.createElement("button"), { type: "button", textContent: S.save_tags });
    save.addEventListener("click", () => api("PATCH", `media/library/${item.id}`, { tags: tags.value }).then(() => { $("library-note").textContent = S.saved; }).catch(fail));
    actions.append(save);
    if (item.kind !== "music") {
      const use = Object.assign(document.createElement("button"), { type: "button", textContent: S.use });
      use.addEventListener("click", () => useIn(item).catch(fail));
      actions.append(use);
    }
    row.append(preview(item), body, actions);
    return row;
  }));
  if (!items.length) $("library").append(Object.assign(document.createElement("li"), { textContent: S.empty }));
}

async function useIn(item) {
  const storyId = $("target-reel").value;
  const sceneId = $("target-scene").value;
  if (!storyId || !sceneId) { $("library-note").textContent = S.pick_target; $("target-reel").focus(); return; }
  await api("POST", `stories/${storyId}/scenes/${sceneId}/visual/`, { asset: item.id });
  $("library-note").textContent = fmt(S.used, { n: $("target-scene").selectedIndex + 1 });
}

$("target-reel").addEventListener("change", async () => {
  const storyId = $("target-reel").value;
  const scenes = storyId ? (await api("GET", `stories/${storyId}/`)).scenes : [];
  scenes.sort((a, b) => a.position - b.position);
  $("target-scene").replaceChildren(...scenes.map((scene, i) => Object.assign(document.createElement("option"), { value: scene.id, textContent: `${i + 1}. ${scene.narration.slice(0, 40)}` })));
});

$("library-search").addEventListener("submit", (event) => search(event).catch(fail));
search().catch(fail);
