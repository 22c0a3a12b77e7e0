// The check-in page: reload the QR code and its link every 20 seconds, so that
// the code shown is always this minute's (it changes every minute).
(function () {
  "use strict";
  var box = document.getElementById("check-in");
  if (!box) return;
  var img = document.getElementById("check-in-qr");
  var link = document.getElementById("check-in-link");
  var status = document.getElementById("check-in-status");

  function refresh() {
    fetch(box.dataset.codeUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || response.status);
          return data;
        });
      })
      .then(function (data) {
        if (link.href !== data.url) {
          link.href = data.url;
          link.textContent = data.url;
          img.src = box.dataset.qrUrl + "?t=" + Date.now();
        }
        status.textContent = "";
      })
      .catch(function (error) {
        status.textContent = error.message;
      });
  }
  setInterval(refresh, 20000);
})();
