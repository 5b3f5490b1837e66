// Quick clip: prompt -> picture -> short clip, polled until done (it lands in the library).
import { api, showError } from "./api.js";

const $ = (id) => document.getElementById(id);
const form = $("quick-clip");

async function poll(jobId) {
  const job = await api("GET", `media/quick_clips/${jobId}`);
  $("qc-progress").value = job.status === "succeeded" ? 100 : job.progress;
  if (job.status === "failed" || job.status === "canceled") {
    showError($("qerr-form"), new Error(job.error_message || job.status));
  } else if (job.status === "succeeded") {
    if (job.clip) { $("qc-video").src = job.clip.url; $("qc-video").hidden = false; }
    if (job.image) { $("qc-image").src = job.image.url; $("qc-image").hidden = false; }
  } else {
    setTimeout(() => poll(jobId).catch((e) => showError($("qerr-form"), e)), 1000);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  for (const box of form.querySelectorAll(".error")) box.hidden = true;
  const body = Object.fromEntries(new FormData(form));
  body.duration_s = Number(body.duration_s);
  try {
    const job = await api("POST", "media/quick_clips", body);
    $("qc-result").hidden = false;
    $("qc-result-title").focus();
    await poll(job.job_id);
  } catch (error) {
    const fields = (error.details && error.details.fields) || {};
    let placed = false;
    for (const [name, messages] of Object.entries(fields)) {
      const box = $(`qerr-${name}`);
      if (box) { box.hidden = false; box.textContent = [].concat(messages).join(" "); placed = true; }
    }
    if (!placed) showError($("qerr-form"), error);
  }
});
