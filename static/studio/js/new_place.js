// A new place: its details saved (POST /places/), then each photo uploaded and added to it
// (POST /media/uploads, then /places/{id}/photos); the song reel flow opens on it. A photo
// that is refused leaves the place and the photos before it saved: the message says why, and
// saving again updates the place and sends the photos not yet added.
import { api, clearErrors, showError, showFieldErrors, text, uploadListed } from "./api.js";

const strings = text("strings");
const form = document.getElementById("place");
let placeId = null;

function details() {
  const body = {};
  for (const [key, value] of new FormData(form)) {
    if (key === "photos") continue;
    if (key === "facilities") {
      body.facilities = value.split(",").map((item) => item.trim()).filter(Boolean);
    } else body[key] = value.trim();
  }
  return body;
}

// Photos already added: saving again after one was refused sends only the rest.
const added = new WeakSet();

async function addPhotos() {
  const input = document.getElementById("photos");
  const list = document.getElementById("upload-progress");
  for (const file of [...input.files]) {
    if (added.has(file)) continue;
    const asset = await uploadListed(list, file, strings.uploading.replace("%(name)s", file.name));
    await api("POST", `places/${placeId}/photos/`, { asset: asset.id });
    added.add(file);
  }
  input.value = "";
}

// Required fields left empty are said beside them before anything is sent.
function missing() {
  const fields = {};
  for (const input of form.querySelectorAll("[required]")) {
    if (!input.value.trim()) fields[input.name] = strings.required;
  }
  return Object.keys(fields).length ? { details: { fields } } : null;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const empty = missing();
  if (empty) {
    showFieldErrors(form, empty, document.getElementById("err-form"));
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const place = placeId ? await api("PATCH", `places/${placeId}/`, details())
      : await api("POST", "places/", details());
    placeId = place.id;
    try { await addPhotos(); } catch (error) {
      showError(document.getElementById("err-photos"), error);
      return;
    }
    window.location.href = `/places/${placeId}/song-reel/`;
  } catch (error) {
    showFieldErrors(form, error, document.getElementById("err-form"));
  } finally {
    button.disabled = false;
  }
});

// A field's message goes once it is edited.
form.addEventListener("input", (event) => {
  const box = document.getElementById(`err-${event.target.name}`);
  if (box) { box.hidden = true; box.textContent = ""; }
  event.target.removeAttribute("aria-invalid");
});

// Search (when a service is configured): each listing can be saved as the place at once,
// then its fields are shown in the form for the photos (and any edit) before saving.
const searchForm = document.getElementById("search-form");
if (searchForm) {
  const results = document.getElementById("results");
  searchForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("err-search");
    box.hidden = true;
    results.replaceChildren();
    const query = new URLSearchParams(new FormData(searchForm));
    try {
      const found = await api("GET", `places/search/?${query}`);
      if (!found.results.length) {
        const row = document.createElement("li");
        row.textContent = strings.none;
        results.append(row);
      }
      for (const listing of found.results) results.append(listingRow(listing));
    } catch (error) {
      showError(box, error);
    }
  });
}

function listingRow(listing) {
  const row = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = strings.import.replace("%(name)s", listing.name);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const language = document.getElementById("language").value;
      const place = await api("POST", "places/search/import/", { token: listing.token, language });
      placeId = place.id;
      fill(place);
      const note = document.getElementById("imported");
      note.hidden = false;
      note.textContent = strings.imported.replace("%(name)s", place.name);
      document.getElementById("photos").focus();
    } catch (error) {
      showError(document.getElementById("err-search"), error);
    } finally {
      button.disabled = false;
    }
  });
  const where = document.createElement("span");
  where.textContent = ` ${listing.category_path} · ${listing.road_address || listing.address}`;
  row.append(button, where);
  return row;
}

function fill(place) {
  for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    if (input.type === "file" || !(input.name in place)) continue;
    const value = place[input.name];
    input.value = Array.isArray(value) ? value.join(", ") : value ?? "";
  }
}
