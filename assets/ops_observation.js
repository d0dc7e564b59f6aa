/* Observation board: each person's countdown to the end of their 30 minutes, ticking in the
   browser (the server redraws the board every few seconds, not every second). The table
   carries the server's clock at drawing time (data-now), so a wrong clock on the desk's
   computer does not shift the countdown; a row whose time is over is marked data-overdue. */
(function () {
  "use strict";

  let seenNow = null;
  let skew = 0; // server clock minus this computer's clock, in ms

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function mmss(ms) {
    const s = Math.floor(ms / 1000);
    return pad(Math.floor(s / 60)) + ":" + pad(s % 60);
  }

  function tick() {
    const table = document.querySelector(".ops-obs-table");
    if (!table) {
      return;
    }
    const serverNow = Number(table.dataset.now);
    if (serverNow && serverNow !== seenNow) {
      seenNow = serverNow;
      skew = serverNow - Date.now();
    }
    const now = Date.now() + skew;
    table.querySelectorAll("[data-release-at]").forEach(function (el) {
      const left = Number(el.dataset.releaseAt) - now;
      const row = el.closest("tr");
      let text;
      if (left > 0) {
        // Ceiling: "00:01" until the very last second, never "00:00" before time.
        text = mmss(left + 999);
        if (row) {
          row.removeAttribute("data-overdue");
        }
      } else {
        text = table.dataset.ready + " · " + table.dataset.over + " " + mmss(-left);
        if (row) {
          row.setAttribute("data-overdue", "1");
        }
      }
      if (el.textContent !== text) {
        el.textContent = text;
      }
    });
  }

  window.setInterval(tick, 250);
  new MutationObserver(function () {
    window.requestAnimationFrame(tick);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
