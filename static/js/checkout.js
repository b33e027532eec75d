/* Progressive enhancement for the address form: show the Jilin selects or the free-text
   fields for the chosen province, and keep only the chosen city's districts in the list.
   Without JavaScript every field is shown and the server checks the combination. */
(function () {
  "use strict";
  var form = document.querySelector(".address-form");
  if (!form) { return; }
  document.documentElement.classList.add("js");
  var jilin = form.getAttribute("data-jilin");
  var province = form.querySelector("[name=province]");
  var city = form.querySelector("[name=city]");
  var district = form.querySelector("[name=district]");
  var jilinBox = document.getElementById("region-jilin");
  var otherBox = document.getElementById("region-other");
  var groups = Array.prototype.map.call(district.querySelectorAll("optgroup"), function (group) {
    return { label: group.label, node: group };
  });

  function showRegion() {
    var isJilin = province.value === jilin;
    jilinBox.classList.toggle("region-hidden", !isJilin || !province.value);
    otherBox.classList.toggle("region-hidden", isJilin || !province.value);
  }
  function filterDistricts() {
    groups.forEach(function (group) {
      var keep = !city.value || group.label === city.value;
      if (keep && !group.node.parentNode) { district.appendChild(group.node); }
      if (!keep && group.node.parentNode) {
        if (group.node.contains(district.options[district.selectedIndex])) { district.value = ""; }
        group.node.parentNode.removeChild(group.node);
      }
    });
  }
  province.addEventListener("change", showRegion);
  city.addEventListener("change", filterDistricts);
  showRegion();
  filterDistricts();
})();
