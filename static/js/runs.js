// Follow a background run (templates/_run_progress.html): poll its JSON status, move the bar,
// and when it ends reload the page (or go to data-run-done) to show the outcome.
(function () {
  const status = document.querySelector("[data-run-status]");
  if (!status) { return; }
  const url = status.dataset.runStatus;
  const bar = document.getElementById("run-bar");
  const state = document.getElementById("run-state");
  const waiting = document.getElementById("run-waiting");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.redirected || !response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (run) {
        bar.style.width = run.progress + "%";
        bar.parentElement.setAttribute("aria-valuenow", run.progress);
        if (state) { state.textContent = run.state_label + (run.step ? " · " + run.step : ""); }
        if (waiting) { waiting.classList.toggle("d-none", !run.waiting_for_queue); }
        if (run.finished) {
          window.location.replace(status.dataset.runDone || window.location.pathname);
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
