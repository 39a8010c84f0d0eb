// A citizen's ticket page follows the queue without reloading: the ticket's API answer (its URL
// is the data-ticket-url of the element carrying it) every 20 seconds.
(function () {
  var holder = document.querySelector("[data-ticket-url]");
  if (!holder) return;
  var url = holder.dataset.ticketUrl;
  var time = new Intl.DateTimeFormat("id-ID", {hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Makassar"});
  function set(selector, value) { var el = document.querySelector(selector); if (el) el.textContent = value; }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}}).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (t) {
      if (!t) return;
      set("[data-testid=now-serving]", t.now_serving || "—");
      set("[data-testid=people-ahead]", t.people_ahead);
      set("[data-field=estimate_from]", time.format(new Date(t.estimate_from)).replace(".", ":"));
      set("[data-field=estimate_to]", time.format(new Date(t.estimate_to)).replace(".", ":"));
    }).catch(function () {});
  }
  setInterval(poll, 20000);
})();
