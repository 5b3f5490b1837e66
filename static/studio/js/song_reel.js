// The song reel flow of a place: brief, lyrics and song attributes, then the song and the
// lyric video as jobs followed live on the story's event stream (events.js, as the reel page).
import { api, showError, text } from "./api.js";
import { followStory } from "./events.js";

const S = text("strings");
const FINISHED = ["succeeded", "failed", "canceled"];
const fmt = (template, values) => template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
const fail = (error) => showError(document.getElementById("page-error"), error);
const reload = () => location.reload();

// "[Chorus]" lines start a section; the lines under it are its lyrics.
function sections(textValue) {
  const out = [];
  for (const line of textValue.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const marker = line.match(/^\[(.+)\]$/);
    if (marker) out.push({ name: marker[1], lines: [] });
    else if (out.length) out[out.length - 1].lines.push(line);
  }
  return out;
}

// Progress of one job from the story's events; the page is drawn again once it is over.
function watch(section, jobId) {
  const box = section.querySelector(".job-progress");
  const bar = box.querySelector("progress");
  const label = box.querySelector("label");
  box.hidden = false;
  for (const button of section.querySelectorAll("button")) button.disabled = true;
  const stream = followStory(section.dataset.story, {
    onEvent: (event) => {
      const p = event.payload;
      if (!["job", "progress"].includes(event.kind) || p.job !== jobId) return;
      bar.value = p.progress || 0;
      label.textContent = fmt(S[p.kind] || "%(progress)s", { progress: bar.value });
      if (event.kind === "job" && FINISHED.includes(p.status)) {
        stream.close();
        reload();
      }
    },
    onEnd: reload,
    onRefused: () => setTimeout(reload, 2000),
  });
}

document.getElementById("write-brief").addEventListener("click", (event) => {
  const place = document.getElementById("new-reel").dataset.place;
  api("POST", `places/${place}/brief`, { language: event.target.dataset.language }).then(reload, fail);
});

document.getElementById("new-reel").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  api("POST", "song-reels/", {
    place: Number(event.target.dataset.place),
    language: form.get("language"),
    duration_s: Number(form.get("duration_s")),
    tempo: Number(form.get("tempo")),
  }).then(reload, fail);
});

for (const section of document.querySelectorAll(".song-reel")) {
  const url = `song-reels/${section.dataset.reel}`;
  const value = (name) => section.querySelector(`[name=${name}]`).value;
  const start = (path, body) => api("POST", path, body).then((reel) => {
    section.dataset.story = reel.story;
    watch(section, reel.job.id);
  }, fail);
  section.addEventListener("click", (event) => {
    const action = event.target.dataset?.action;
    if (action === "lyrics") {
      api("PATCH", url, {
        sections: sections(value("lyrics")),
        genre: value("genre"), vocal: value("vocal"), mood: value("mood"), tempo: Number(value("tempo")),
      }).then(reload, fail);
    }
    if (action === "song") start(`${url}/song`);
    if (action === "render") start(`${url}/render`, { profile: value("profile") });
  });
  if (section.dataset.job) watch(section, Number(section.dataset.job));
}
