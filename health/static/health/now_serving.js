// The public "now serving" display: every section with a data-url follows its session's queue
// through the API every 5 seconds (conditional requests with the last ETag).
(function () {
  var etags = {};
  function poll() {
    document.querySelectorAll("[data-url]").forEach(function (section) {
      var url = section.dataset.url, headers = {};
      if (etags[url]) headers["If-None-Match"] = etags[url];
      fetch(url, {headers: headers}).then(function (r) {
        if (r.status !== 200) return null;
        etags[url] = r.headers.get("ETag");
        return r.json();
      }).then(function (data) {
        if (!data) return;
        section.querySelector('[data-field="now_serving"]').textContent = data.now_serving || "—";
        section.querySelector('[data-field="waiting"]').textContent = data.waiting;
      }).catch(function () {});
    });
  }
  poll();
  setInterval(poll, 5000);
})();
