// CodexPro admin page. Loaded from this server only (CSP script-src 'self').
(function () {
  'use strict';

  // The opening URL carried the token; the server has already traded it for
  // an HttpOnly cookie. Keep it in memory for the copy button only, and drop
  // it from the address bar and history.
  var url = new URL(window.location.href);
  var token = url.searchParams.get('codexpro_token') || '';
  if (url.searchParams.has('codexpro_token') || url.searchParams.has('token')) {
    url.searchParams.delete('codexpro_token');
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  var csrf = document.querySelector('meta[name="codexpro-csrf"]').content;
  var form = document.getElementById('profile-form');
  var status = document.getElementById('status');

  function say(text, ok) {
    status.textContent = text;
    status.className = ok ? 'ok' : 'bad';
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var data = new FormData(form);
    var body = {
      mode: data.get('mode'),
      write: data.get('write'),
      bash: data.get('bash'),
      toolMode: data.get('toolMode'),
      allowedRoots: String(data.get('allowedRoots') || '').split('\n')
        .map(function (s) { return s.trim(); }).filter(Boolean)
    };
    say('Saving…', true);
    fetch('/admin/profile', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CodexPro-CSRF': csrf },
      body: JSON.stringify(body)
    }).then(function (resp) {
      return resp.json().then(function (j) { return { ok: resp.ok, j: j }; });
    }).then(function (r) {
      say(r.ok ? r.j.message : 'Save failed: ' + (r.j.message || r.j.error), r.ok);
    }).catch(function (err) {
      say('Save failed: ' + err, false);
    });
  });

  var copy = document.getElementById('copy-url');
  if (copy) {
    copy.addEventListener('click', function () {
      var endpoint = copy.getAttribute('data-endpoint');
      if (!token) {
        say('Open this page from the URL mcpd printed to copy the connector URL with its token.', false);
        return;
      }
      var u = new URL(endpoint);
      u.searchParams.set('codexpro_token', token);
      navigator.clipboard.writeText(u.toString()).then(function () {
        say('Connector URL copied.', true);
      }, function () {
        say('Copy failed; your browser blocked the clipboard.', false);
      });
    });
  }
})();
