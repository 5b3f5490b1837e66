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
