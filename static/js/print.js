// The "In báo cáo" button: the browser's own print dialog (A4, see chibo.css).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
