/* The certificate page's QR code (/portal/certificate), drawn in the visitor's browser from
 * the signed HC1 text the look-up answered with (the <img data-hc1> of the card).
 *
 * Encoding the symbol was a third of the server's CPU for a look-up (BENCHMARKS.md section
 * 13); the browser does it in a few milliseconds. The symbol is as the hcert spec (Volume 1,
 * 4.1) asks: error correction Q, alphanumeric mode (Base45's alphabet is QR's), the version
 * and the mask chosen by the library as ISO/IEC 18004 says. The printed PDF's QR is still
 * drawn by the server (data.certificates.qr).
 *
 * Loaded on every page (Dash adds assets/*.js), it acts only when a card with a code is on
 * the page. The encoder (qrcode-generator, MIT, vendored under assets/vendor/, not loaded by
 * Dash) is fetched from this origin the first time: the Content-Security-Policy allows
 * 'self' scripts only, and data: images. */
(function () {
  "use strict";
  var SELECTOR = "img[data-hc1]";
  var loading = false;

  function libraryUrl() {
    var own = document.querySelector('script[src*="portal_certificate_qr.js"]');
    var base = own ? own.src.split("portal_certificate_qr.js")[0] : "/portal/assets/";
    return base + "vendor/qrcode-generator/qrcode.js";
  }

  function draw() {
    Array.prototype.forEach.call(document.querySelectorAll(SELECTOR), function (img) {
      var text = img.getAttribute("data-hc1");
      if (!text || img.getAttribute("data-drawn") === text) { return; }
      var symbol = window.qrcode(0, "Q");
      symbol.addData(text, "Alphanumeric");
      symbol.make();
      // One pixel a module and the standard's 4-module quiet zone; CSS draws it large and
      // sharp (image-rendering: pixelated).
      img.src = symbol.createDataURL(1, 4);
      img.setAttribute("data-drawn", text);
    });
  }

  function check() {
    if (!document.querySelector(SELECTOR)) { return; }
    if (window.qrcode) { draw(); return; }
    if (loading) { return; }
    loading = true;
    var tag = document.createElement("script");
    tag.src = libraryUrl();
    tag.onload = function () { loading = false; draw(); };
    tag.onerror = function () { loading = false; };
    document.head.appendChild(tag);
  }

  new MutationObserver(check).observe(document.documentElement,
    { childList: true, subtree: true, attributes: true, attributeFilter: ["data-hc1"] });
})();
