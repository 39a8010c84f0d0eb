/* Show a field only when its condition holds (data-show-field / data-show-value); without this
   script every field is shown and the server ignores those the answers hide. Also fills a map
   location from the device's position. No dependencies. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-definition]");
  if (!form) return;
  var groups = form.querySelectorAll("[data-show-field]");
  function valuesOf(name) {
    var out = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value) out.push(input.value);
    });
    return out;
  }
  function shown(group) {
    var source = form.querySelector('[data-key="' + group.dataset.showField + '"]');
    if (source && source.hidden) return false;
    return valuesOf(group.dataset.showField).indexOf(group.dataset.showValue) !== -1;
  }
  function update() {
    groups.forEach(function (group) {
      var visible = shown(group);
      group.hidden = !visible;
      group.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !visible;
      });
    });
  }
  form.addEventListener("change", update);
  update();
  form.querySelectorAll("[data-locate]").forEach(function (button) {
    button.hidden = !navigator.geolocation;
    button.addEventListener("click", function () {
      var key = button.dataset.locate;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector('[name="' + key + '__latitude"]').value = position.coords.latitude.toFixed(6);
        form.querySelector('[name="' + key + '__longitude"]').value = position.coords.longitude.toFixed(6);
      });
    });
  });
})();
