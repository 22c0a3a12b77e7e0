// "Thêm người phát biểu": add a speaker's row to one of the minutes' formsets.
// Each button names its formset's prefix; the row is the <template> of the
// empty form, numbered, and TOTAL_FORMS raised, up to MAX_NUM_FORMS.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-speech]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-speech");
    var rows = document.getElementById(prefix + "-rows");
    var template = document.getElementById(prefix + "-template");
    var total = document.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = document.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    if (!rows || !template || !total) return;
    function full() {
      return max && parseInt(total.value, 10) >= parseInt(max.value, 10);
    }
    button.hidden = full();
    button.addEventListener("click", function () {
      if (full()) return;
      var index = total.value;
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
      total.value = parseInt(index, 10) + 1;
      button.hidden = full();
    });
  });
})();
