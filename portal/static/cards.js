// Work tables as cards on a phone (portal/view/table.go): every cell of a table of class "cards" gets
// its column's heading as data-label, which the narrow-screen CSS shows before the value. Tables
// whose template writes data-label itself are left as they are; without JavaScript the cards
// show their values without headings. Nothing is sent anywhere.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("table.cards"), function (t) {
    var head = t.querySelector("tr");
    if (!head) { return; }
    var names = Array.prototype.map.call(head.querySelectorAll("th"), function (th) { return th.textContent; });
    Array.prototype.forEach.call(t.querySelectorAll("tr"), function (tr) {
      Array.prototype.forEach.call(tr.querySelectorAll("td"), function (td, i) {
        if (!td.hasAttribute("data-label") && names[i]) { td.setAttribute("data-label", names[i]); }
      });
    });
  });
})();
