// The pronunciation lexicon: add, change and remove words over /api/v1/pronunciations/.
import { api, showError, text } from "./api.js";

const S = text("strings");
const $ = (id) => document.getElementById(id);
const form = $("add-word");

function cell(content) {
  const td = document.createElement("td");
  td.append(content);
  return td;
}

function button(label, aria, onClick) {
  const b = Object.assign(document.createElement("button"), { type: "button", textContent: label });
  b.setAttribute("aria-label", aria);
  b.addEventListener("click", () => onClick().catch((e) => showError($("perr-form"), e)));
  return b;
}

async function list() {
  const page = await api("GET", "pronunciations/?page_size=200");
  const rows = (page.results || page).map((entry) => {
    const spoken = Object.assign(document.createElement("input"), { value: entry.spoken, id: `spoken-${entry.id}` });
    spoken.setAttribute("aria-label", S.say_as.replace("%(word)s", entry.word));
    const actions = document.createElement("div");
    actions.className = "buttons";
    actions.append(
      button(S.save, S.save_word.replace("%(word)s", entry.word), async () => {
        await api("PATCH", `pronunciations/${entry.id}/`, { spoken: spoken.value });
        await list();
      }),
      button(S.remove, S.remove_word.replace("%(word)s", entry.word), async () => {
        await api("DELETE", `pronunciations/${entry.id}/`);
        await list();
      }),
    );
    const row = document.createElement("tr");
    row.append(cell(entry.language), cell(entry.word), cell(spoken), cell(actions));
    return row;
  });
  $("words").replaceChildren(...rows);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  for (const box of form.querySelectorAll(".error")) box.hidden = true;
  try {
    await api("POST", "pronunciations/", Object.fromEntries(new FormData(form)));
    form.reset();
    await list();
    $("p-word").focus();
  } catch (error) {
    const fields = (error.details && error.details.fields) || {};
    let placed = false;
    for (const [name, messages] of Object.entries(fields)) {
      const box = $(`perr-${name}`);
      if (box) { box.hidden = false; box.textContent = [].concat(messages).join(" "); placed = true; }
    }
    if (!placed) showError($("perr-form"), error);
  }
});

list().catch((e) => showError($("perr-form"), e));
