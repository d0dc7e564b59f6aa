/* KPI numbers fit their cards whatever their width ("100,5%", "1.234.567.890"): a number
   wider than its card is set in a smaller font, one that fits returns to the stylesheet's.
   Runs after every change to the page (Dash renders, the wall's class, the window size). */
(function () {
  "use strict";

  function fit(el) {
    el.style.fontSize = "";
    if (!el.offsetParent || el.scrollWidth <= el.clientWidth) {
      return;
    }
    const size = parseFloat(getComputedStyle(el).fontSize);
    // Glyph widths do not scale exactly with the size: shrink until it fits (twice at most).
    for (let i = 0; i < 3 && el.scrollWidth > el.clientWidth; i += 1) {
      const now = parseFloat(el.style.fontSize) || size;
      el.style.fontSize = Math.floor(now * (el.clientWidth / el.scrollWidth) * 0.98) + "px";
    }
  }

  let queued = false;
  function fitAll() {
    queued = false;
    document.querySelectorAll(".kpi-value").forEach(fit);
  }
  function schedule() {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(fitAll);
    }
  }

  new MutationObserver(schedule).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["class"],
  });
  window.addEventListener("resize", schedule);
})();
