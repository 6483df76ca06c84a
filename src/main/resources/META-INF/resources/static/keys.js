// /dashboard/keys: create (the raw key shown once, with a copy button), list, revoke, all through /api/keys.
(function () {
  'use strict';
  var el = exifq.el;
  var form = document.getElementById('key-form');
  var error = document.getElementById('key-error');
  var created = document.getElementById('key-created');
  var value = document.getElementById('key-value');
  var copied = document.getElementById('key-copied');

  function showError(r) {
    exifq.showError(error, exifq.errorMessage(r.data, r.status));
    if (r.data && r.data.upgradeUrl && r.data.upgradeUrl.charAt(0) === '/') {
      error.appendChild(document.createTextNode(' '));
      error.appendChild(el('a', {href: r.data.upgradeUrl, text: 'See plans'}));
    }
  }

  function load() {
    exifq.api('GET', '/api/keys').then(function (r) {
      if (!r.ok) { showError(r); return; }
      var body = document.getElementById('keys-body');
      body.textContent = '';
      r.data.keys.forEach(function (k) {
        var revoke = el('button', {type: 'button', class: 'danger', 'data-key-id': k.id,
          'aria-label': 'Revoke key ' + k.name, text: 'Revoke'});
        revoke.addEventListener('click', function () {
          if (!window.confirm('Revoke the key "' + k.name + '"? Programs using it stop working at once.')) return;
          revoke.disabled = true;
          exifq.api('DELETE', '/api/keys/' + encodeURIComponent(k.id)).then(function (d) {
            if (!d.ok) { revoke.disabled = false; showError(d); return; }
            load();
          });
        });
        body.appendChild(el('tr', {'data-key-id': k.id}, [
          el('td', {text: k.name}), el('td', {}, [el('code', {text: k.masked})]),
          el('td', {text: k.created_at}), el('td', {text: k.last_used_at || 'never'}),
          el('td', {text: k.expires_at || 'never'}), el('td', {}, [revoke])]));
      });
      document.getElementById('keys-table').hidden = r.data.keys.length === 0;
      document.getElementById('keys-empty').hidden = r.data.keys.length !== 0;
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    exifq.showError(error, '');
    var body = {name: form.elements.namedItem('name').value};
    var days = form.elements.namedItem('expires_in_days').value;
    if (days) body.expires_in_days = Number(days);
    exifq.api('POST', '/api/keys', body).then(function (r) {
      if (!r.ok) { showError(r); return; }
      value.textContent = r.data.key;
      copied.textContent = '';
      created.hidden = false;
      form.reset();
      document.getElementById('key-copy').focus();
      load();
    });
  });

  document.getElementById('key-copy').addEventListener('click', function () {
    var text = value.textContent;
    var done = function () { copied.textContent = 'Copied.'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { select(); });
    } else {
      select();
    }
    function select() {
      var range = document.createRange();
      range.selectNodeContents(value);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      copied.textContent = document.execCommand('copy') ? 'Copied.' : 'Selected: press Ctrl+C to copy.';
    }
  });

  load();
})();
