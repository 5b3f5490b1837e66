// Calls to /api/v1/ with the session cookie and the CSRF token; errors come back as the
// API's envelope ({error: {code, message, details}}) in the user's language.
const csrf = document.querySelector('meta[name="csrf-token"]').content;

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "";
    this.details = error.details || {};
  }
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrf };
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(`/api/v1/${path}`, {
    method, headers, body: payload, credentials: "same-origin",
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Upload with progress (fetch has no upload progress): XMLHttpRequest.
export function upload(form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/media/uploads");
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.send(form);
  });
}

// Upload `file` (with the form `fields`) as a row of `list`: "<label>" and a progress bar.
// Resolves to the stored asset.
export async function uploadListed(list, file, label, fields = {}) {
  const row = document.createElement("li");
  const caption = document.createElement("label");
  const bar = document.createElement("progress");
  bar.max = 1; bar.value = 0; bar.id = `progress-${list.children.length}`;
  caption.htmlFor = bar.id;
  caption.textContent = label;
  row.append(caption, bar);
  list.append(row);
  const data = new FormData();
  data.append("file", file);
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  const asset = await upload(data, (done) => { bar.value = done; });
  bar.value = 1;
  return asset;
}

// Show an error in `box`; a 402 (quota or budget) links to the plans page.
export function showError(box, error) {
  box.hidden = false;
  box.textContent = error.message;
  if (error.status === 402) {
    const link = document.createElement("a");
    link.href = document.body.dataset.plansUrl || "/billing/plans/";
    link.textContent = document.body.dataset.upgradeLabel || "Upgrade";
    box.append(" ", link);
  }
}

export function text(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : {};
}

export function clearErrors(form) {
  for (const box of form.querySelectorAll(".error")) { box.hidden = true; box.textContent = ""; }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// A refusal (details.fields of a 400) is shown beside the fields it concerns, in their
// `err-<name>` boxes (a nested object's as `err-<name>.<key>`), the first one focused; one
// about no field goes to `fallback`.
export function showFieldErrors(form, error, fallback) {
  let placed = false;
  const place = (name, messages) => {
    if (messages && typeof messages === "object" && !Array.isArray(messages)) {
      for (const [key, inner] of Object.entries(messages)) place(`${name}.${key}`, inner);
      return;
    }
    const box = document.getElementById(`err-${name}`);
    if (!box) return;
    box.hidden = false;
    box.textContent = [].concat(messages).join(" ");
    const input = form.querySelector(`[name="${name}"]`) || document.getElementById(name);
    if (input) { input.setAttribute("aria-invalid", "true"); if (!placed) input.focus(); }
    placed = true;
  };
  const fields = error.details && error.details.fields;
  if (fields && typeof fields === "object") {
    for (const [name, messages] of Object.entries(fields)) place(name, messages);
  }
  if (!placed) showError(fallback, error);
}
