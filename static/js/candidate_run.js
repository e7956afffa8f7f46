// Follow a running job, then show the updated list.
(function () {
  const status = document.getElementById("run-status");
  const url = status && status.dataset.url;
  if (!url) { return; }
  const bar = document.getElementById("run-bar");
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (run) {
      bar.style.width = run.progress + "%";
      const state = document.getElementById("run-state");
      if (state) { state.textContent = run.state_label + (run.step ? " · " + run.step : ""); }
      if (run.finished) { window.location.replace(window.location.pathname); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
