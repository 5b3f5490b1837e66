import { api, showError } from "./api.js";

const actions = {
  duplicate: (id) => api("POST", `stories/${id}/duplicate/`),
  trash: (id) => api("DELETE", `stories/${id}/`),
  restore: (id) => api("POST", `stories/${id}/restore/`),
};

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  button.disabled = true;
  try {
    await actions[button.dataset.action](button.dataset.story);
    window.location.reload();
  } catch (error) {
    showError(document.getElementById("list-error"), error);
    button.disabled = false;
  }
});
