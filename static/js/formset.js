// "Add a row" for a Django formset: clone the <template> of the empty form,
// number it, and raise TOTAL_FORMS, up to MAX_NUM_FORMS.
(function () {
  "use strict";
  var button = document.getElementById("add-photo-row");
  var rows = document.getElementById("photo-rows");
  var template = document.getElementById("photo-row-template");
  var total = document.querySelector("input[name$='-TOTAL_FORMS']");
  var max = document.querySelector("input[name$='-MAX_NUM_FORMS']");
  if (!button || !rows || !template || !total) return;
  function full() {
    return max && parseInt(total.value, 10) >= parseInt(max.value, 10);
  }
  button.hidden = full();
  button.addEventListener("click", function () {
    if (full()) return;
    var index = total.value;
    var html = template.innerHTML.replace(/__prefix__/g, index);
    rows.insertAdjacentHTML("beforeend", html);
    total.value = parseInt(index, 10) + 1;
    button.hidden = full();
  });
})();
