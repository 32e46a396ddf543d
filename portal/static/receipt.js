// The copy and print buttons of the codes a citizen must keep: the receipt
// (portal/templates/receipt.html) and the reward's claim code (status_view.html). A button of
// class "copy" copies its data-code and says so in the .copied line beside it; "print" prints the
// page, whose print CSS keeps the code's box only. Without JavaScript the buttons stay hidden and
// the page still offers the text file and the browser's print; nothing here is sent anywhere.
(function () {
  "use strict";
  var copies = document.querySelectorAll("button.copy[data-code]");
  Array.prototype.forEach.call(copies, function (copy) {
    var said = copy.parentNode.querySelector(".copied");
    var what = copy.getAttribute("data-what") || "回执码";
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
        said.textContent = ok ? "已复制：" + code : "无法自动复制，请手动抄下" + what;
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.print"), function (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  });
})();
