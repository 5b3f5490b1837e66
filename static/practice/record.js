// Records a take in the browser while the reference plays, then uploads it to the API
// (session cookie + CSRF token) and opens its result page.
(function () {
  "use strict";
  const form = document.getElementById("take");
  const recordButton = document.getElementById("record");
  const stopButton = document.getElementById("stop");
  const status = document.getElementById("status");
  const reference = document.getElementById("reference");
  let recorder = null;
  let chunks = [];

  function say(text) { status.textContent = text; }

  async function upload(blob) {
    const body = new FormData();
    const type = blob.type || "audio/webm";
    body.append("recording", blob, type.includes("ogg") ? "take.ogg" : "take.webm");
    const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    const response = await fetch(form.dataset.upload, {
      method: "POST", body: body, headers: {"X-CSRFToken": token}, credentials: "same-origin",
    });
    const answer = await response.json();
    if (response.status !== 202) {
      say(answer.error ? answer.error.message : String(response.status));
      recordButton.disabled = false;
      return;
    }
    window.location.assign(form.dataset.result.replace("/0/", "/" + answer.id + "/"));
  }

  recordButton.addEventListener("click", async function () {
    recordButton.disabled = true;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({audio: true});
      recorder = new MediaRecorder(stream);
      chunks = [];
      recorder.addEventListener("dataavailable", function (event) {
        if (event.data.size) { chunks.push(event.data); }
      });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        say("…");
        upload(new Blob(chunks, {type: recorder.mimeType}));
      });
      recorder.start();
      reference.currentTime = 0;
      reference.play().catch(function () { /* the reference is a guide; recording goes on */ });
      stopButton.disabled = false;
      say("●");
    } catch (error) {
      say(String(error));
      recordButton.disabled = false;
    }
  });

  stopButton.addEventListener("click", function () {
    stopButton.disabled = true;
    if (recorder && recorder.state !== "inactive") { recorder.stop(); }
  });
})();
