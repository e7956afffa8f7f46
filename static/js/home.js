// The staff home's two charts, drawn from the page's JSON data (no inline script: see the CSP).
(function () {
  const source = document.getElementById("home-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  const data = JSON.parse(source.textContent);
  const plans = document.getElementById("plans-chart");
  if (plans) {
    new Chart(plans, {
      type: "doughnut",
      data: {
        labels: data.plans.labels,
        datasets: [{ data: data.plans.values, backgroundColor: ["#0d6efd", "#dc3545", "#198754"] }],
      },
      options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "right" } } },
    });
  }
  const admissions = document.getElementById("admissions-chart");
  if (admissions) {
    new Chart(admissions, {
      type: "bar",
      data: {
        labels: data.admissions.labels,
        datasets: [
          { label: data.admissions.admitted_label, data: data.admissions.admitted, backgroundColor: "#198754" },
          { label: data.admissions.quota_label, data: data.admissions.quota, backgroundColor: "#adb5bd" },
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
})();
