// Records a take in the browser while the reference plays, uploads it to the API (session
// cookie + CSRF token), follows its analysis job on the take's event stream (the session
// cookie opens it; EventSource resumes with Last-Event-ID by itself) and opens its result page
// once the stream ends.
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
    follow(answer.id);
  }

  function follow(takeId) {
    const result = form.dataset.result.replace("/0/", "/" + takeId + "/");
    const stream = new EventSource(form.dataset.events.replace("/0/", "/" + takeId + "/"));
    let left = false;
    function leave() {
      if (left) { return; }
      left = true;
      stream.close();
      window.location.assign(result);
    }
    say(form.dataset.listening);
    stream.addEventListener("progress", function (event) {
      say(form.dataset.listening + " " + JSON.parse(event.data).payload.progress + "%");
    });
    stream.addEventListener("end", leave);
    // A refused stream (too many open) is not retried by EventSource: the result page waits.
    stream.addEventListener("error", function () {
      if (stream.readyState === EventSource.CLOSED) { leave(); }
    });
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
