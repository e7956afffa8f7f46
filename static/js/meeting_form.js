// "Add an absentee": one more row of the absentee formset, from its empty template.
document.getElementById("add-absentee").addEventListener("click", function () {
  const total = document.getElementById("id_absentees-TOTAL_FORMS");
  const html = document.getElementById("absentee-template").innerHTML.replace(/__prefix__/g, total.value);
  document.getElementById("absentee-rows").insertAdjacentHTML("beforeend", html);
  total.value = parseInt(total.value, 10) + 1;
});
