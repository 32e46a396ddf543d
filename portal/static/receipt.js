// The receipt page's copy and print buttons (portal/templates/receipt.html). Without JavaScript
// the buttons stay hidden and the page still offers the text file, the browser's print and the
// 完成 form; nothing here is sent anywhere.
(function () {
  "use strict";
  var copy = document.getElementById("copy");
  var print = document.getElementById("print");
  var said = document.getElementById("copied");
  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var code = copy.getAttribute("data-code");
      var done = function () { said.textContent = "已复制：" + code; };
      var fallback = function () {
        var box = document.createElement("textarea");
        box.value = code;
        box.setAttribute("readonly", "");
        box.className = "hp";
        document.body.appendChild(box);
        box.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        document.body.removeChild(box);
        said.textContent = ok ? "已复制：" + code : "无法自动复制，请手动抄下回执码";
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code).then(done, fallback);
      } else {
        fallback();
      }
    });
  }
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
