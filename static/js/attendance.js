// The attendance sheet: count statuses as they change, and show a member's
// reason box only when they are absent (or already have a reason or an error).
// A member missing from a saved sheet counts only once given a status.
(function () {
  "use strict";
  var sheet = document.getElementById("attendance-sheet");
  if (!sheet) return;
  var rows = Array.prototype.slice.call(sheet.querySelectorAll(".attendance-row"));

  function statusOf(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function update() {
    var counts = { all: 0, present: 0, excused: 0, unexcused: 0 };
    rows.forEach(function (row) {
      var status = statusOf(row);
      if (status in counts) {
        counts[status] += 1;
        counts.all += 1;
      }
      var box = row.querySelector(".attendance-reason");
      var input = box && box.querySelector("input");
      if (box) {
        var absent = status === "excused" || status === "unexcused";
        box.hidden = !absent && !input.value && !input.classList.contains("is-invalid");
      }
    });
    Object.keys(counts).forEach(function (key) {
      var target = sheet.querySelector("[data-count='" + key + "']");
      if (target) target.textContent = counts[key];
    });
  }

  sheet.addEventListener("change", function (event) {
    if (event.target.type !== "radio") return;
    update();
    var row = event.target.closest(".attendance-row");
    if (event.target.value === "excused" && row) {
      var input = row.querySelector(".attendance-reason input");
      if (input && !input.value) input.focus();
    }
  });
  update();
})();
