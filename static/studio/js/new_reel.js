// The brief: saved as a draft story, uploads attached, the estimate shown, then produced.
import { api, clearErrors, showError, showFieldErrors, text, uploadListed } from "./api.js";

const strings = text("strings");
const form = document.getElementById("brief");
const confirmBox = document.getElementById("confirm");
const language = document.getElementById("language");
const voice = document.getElementById("voice");
let storyId = null;
let autopilot = "preview";

function showVoices() {
  for (const option of voice.options) {
    if (!option.dataset.language) continue;
    option.hidden = option.dataset.language !== language.value;
    if (option.hidden && option.selected) voice.value = "";
  }
}
language.addEventListener("change", showVoices);
showVoices();

document.getElementById("play-sample").addEventListener("click", () => {
  const option = voice.selectedOptions[0];
  const first = [...voice.options].find((o) => o.dataset.sample && !o.hidden);
  const chosen = option && option.dataset.sample ? option : first;
  if (!chosen) return;
  const audio = document.getElementById("sample");
  audio.src = chosen.dataset.sample;
  audio.play().catch(() => {});
});

function brief() {
  const data = new FormData(form);
  const body = { business: {} };
  for (const [key, value] of data) {
    if (key === "uploads" || key === "autopilot") continue;
    if (key.startsWith("business.")) { if (value) body.business[key.slice(9)] = value; }
    else if (key === "duration_s") body[key] = Number(value);
    else body[key] = value;
  }
  return body;
}

async function uploadFiles() {
  const list = document.getElementById("upload-progress");
  for (const file of document.getElementById("uploads").files) {
    await uploadListed(list, file, strings.uploading.replace("%(name)s", file.name), { story: storyId });
  }
  document.getElementById("uploads").value = "";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  autopilot = (event.submitter && event.submitter.value) || "preview";
  clearErrors(form);
  const buttons = form.querySelectorAll("button[type=submit]");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const body = brief();
    const story = storyId ? await api("PATCH", `stories/${storyId}/`, body)
      : await api("POST", "stories/", body);
    storyId = story.id;
    try { await uploadFiles(); } catch (error) {
      showError(document.getElementById("err-file"), error);
      return;
    }
    const estimate = await api("GET", `stories/${storyId}/cost_estimate/`);
    const total = Number(estimate.total_usd);
    document.getElementById("estimate").textContent = total > 0 ? `$${total.toFixed(2)}` : strings.free;
    form.hidden = true;
    confirmBox.hidden = false;
    document.getElementById("confirm-title").focus();
  } catch (error) {
    showFieldErrors(form, error, document.getElementById("err-form"));
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});

document.getElementById("back").addEventListener("click", () => {
  confirmBox.hidden = true;
  form.hidden = false;
  document.getElementById("keyword").focus();
});

document.getElementById("start").addEventListener("click", async (event) => {
  event.target.disabled = true;
  try {
    await api("POST", `stories/${storyId}/produce/`, { autopilot });
    window.location.href = `/reels/${storyId}/`;
  } catch (error) {
    showError(document.getElementById("err-start"), error);
    event.target.disabled = false;
  }
});
