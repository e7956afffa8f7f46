// The trend chart of the year page: counts by level (bars) and the good-or-above share (line).
(function () {
  const holder = document.getElementById("trend-chart");
  const source = document.getElementById("trend-data");
  if (!holder || !source || typeof Chart === "undefined") { return; }
  const data = JSON.parse(source.textContent);
  const colors = { excellent: "#198754", good: "#0d6efd", complete: "#ffc107", incomplete: "#dc3545" };
  const datasets = data.levels.map(function (level) {
    return { type: "bar", label: level.label, data: level.counts, backgroundColor: colors[level.code], stack: "levels", yAxisID: "y" };
  });
  datasets.push({ type: "line", label: data.percent_label, data: data.percent, borderColor: "#6f42c1", yAxisID: "share", tension: 0.2 });
  new Chart(holder, {
    data: { labels: data.years, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        x: { stacked: true },
        share: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
      },
    },
  });
})();
