// CodexPro admin page. Loaded from this server only (CSP script-src 'self').
(function () {
  'use strict';

  // The opening URL carried the token; the server has already traded it for
  // an HttpOnly cookie. Keep it in memory for the copy buttons only, and drop
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

  // sentence makes a server message read as one: capital first, full stop.
  function sentence(text) {
    text = String(text || 'something went wrong').trim();
    text = text.charAt(0).toUpperCase() + text.slice(1);
    return /[.!?]$/.test(text) ? text : text + '.';
  }

  // Only the fields the user changed are sent: a save never writes the
  // values shown for the other fields into the profile.
  var fields = ['mode', 'write', 'bash', 'toolMode'];

  function roots(text) {
    return String(text || '').split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function changes() {
    var body = {};
    fields.forEach(function (name) {
      var el = form.elements[name];
      if (el.value !== el.getAttribute('data-initial')) { body[name] = el.value; }
    });
    var ta = form.elements.allowedRoots;
    if (roots(ta.value).join('\n') !== roots(ta.getAttribute('data-initial')).join('\n')) {
      body.allowedRoots = roots(ta.value);
    }
    return body;
  }

  function remember() {
    fields.concat(['allowedRoots']).forEach(function (name) {
      var el = form.elements[name];
      el.setAttribute('data-initial', el.value);
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = changes();
    if (Object.keys(body).length === 0) {
      say('Nothing changed; the profile is as it was.', true);
      return;
    }
    say('Saving…', true);
    fetch('/admin/profile', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CodexPro-CSRF': csrf },
      body: JSON.stringify(body)
    }).then(function (resp) {
      return resp.json().then(function (j) { return { ok: resp.ok, j: j }; },
        function () { return { ok: false, j: { message: 'the server answered ' + resp.status + ' ' + resp.statusText } }; });
    }).then(function (r) {
      if (r.ok) { remember(); }
      say(r.ok ? r.j.message : 'Not saved: ' + sentence(r.j.message), r.ok);
    }).catch(function () {
      say('Not saved: mcpd did not answer. Is it still running?', false);
    });
  });

  // Copy buttons: the feedback appears beside the button that was clicked;
  // when the browser blocks the clipboard, a selected text field holds the
  // URL so the user can copy it by hand.
  function feedback(button, text, ok) {
    var slot = button.nextElementSibling;
    slot.textContent = text;
    slot.className = 'copy-result ' + (ok ? 'ok' : 'bad');
  }

  function fallback(button, value) {
    var slot = button.nextElementSibling;
    slot.textContent = '';
    slot.className = 'copy-result bad';
    var input = document.createElement('input');
    input.type = 'text';
    input.readOnly = true;
    input.value = value;
    input.className = 'copy-fallback';
    input.setAttribute('aria-label', 'URL to copy');
    var hint = document.createElement('span');
    hint.textContent = 'The browser blocked the clipboard: press Ctrl+C (⌘C on a Mac) to copy the selected URL.';
    slot.appendChild(hint);
    slot.appendChild(input);
    input.focus();
    input.select();
  }

  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () {
      if (!token) {
        feedback(button, 'Open this page from the URL mcpd printed to copy the URL with its token.', false);
        return;
      }
      var u = new URL(button.getAttribute('data-endpoint'));
      u.searchParams.set('codexpro_token', token);
      var value = u.toString();
      if (!navigator.clipboard || !navigator.clipboard.writeText) {
        fallback(button, value);
        return;
      }
      navigator.clipboard.writeText(value).then(function () {
        feedback(button, 'Copied.', true);
      }, function () {
        fallback(button, value);
      });
    });
  });

  // Revoke buttons (OAuth): the grant ends at once; the page reloads to
  // show what is left.
  Array.prototype.forEach.call(document.querySelectorAll('button.revoke'), function (button) {
    button.addEventListener('click', function () {
      var status = document.getElementById('grant-status');
      fetch('/admin/grants/revoke', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CodexPro-CSRF': csrf },
        body: JSON.stringify({ id: button.getAttribute('data-grant') })
      }).then(function (resp) {
        return resp.json().then(function (j) { return { ok: resp.ok, j: j }; });
      }).then(function (r) {
        if (r.ok) { window.location.reload(); return; }
        if (status) { status.textContent = 'Not revoked: ' + sentence(r.j.message); }
      }).catch(function () {
        if (status) { status.textContent = 'Not revoked: mcpd did not answer. Is it still running?'; }
      });
    });
  });
})();
