// Keeps an open status page current: every 30 seconds it asks what the page would show now
// (a digest of the visible state, revalidated with its ETag, so an unchanged answer is a 304),
// and reloads when that differs from what this page shows. The page works without it.
(function () {
  var meta = document.querySelector('meta[name="statusdesk-state"]');
  if (!meta || !window.fetch) {
    return;
  }
  var shown = meta.getAttribute('content');
  var url = '/state.json?lang=' + document.documentElement.lang;
  function check() {
    fetch(url, {cache: 'no-cache'}).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (now) {
      if (now && now.state && now.state !== shown) {
        location.reload();
      }
    }).catch(function () {});
  }
  setInterval(check, 30000);
})();
