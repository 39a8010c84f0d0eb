// "Use my location" on the complaint form: fills the latitude and longitude fields from the
// browser's geolocation. The status texts come translated in the button's data attributes.
(function () {
  var button = document.getElementById("use-my-location");
  if (!button) return;
  button.addEventListener("click", function () {
    var status = document.getElementById("location-status");
    if (!navigator.geolocation) { status.textContent = button.dataset.unavailable; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("id_latitude").value = p.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = p.coords.longitude.toFixed(6);
      status.textContent = button.dataset.filled;
    }, function () { status.textContent = button.dataset.unavailable; });
  });
})();
