// /admin/files: the purge button. Shows how many files the purge removed and how many it could not (kept for
// the next purge), as the API counts them.
(function () {
  'use strict';
  var button = document.getElementById('purge');
  if (!button) return;
  var result = document.getElementById('purge-result');
  var error = document.getElementById('purge-error');
  var purgeable = document.getElementById('purgeable');

  function files(n) {
    return n + (n === 1 ? ' file' : ' files');
  }

  button.addEventListener('click', function () {
    button.disabled = true;
    result.hidden = true;
    window.exifq.showError(error, '');
    window.exifq.api('POST', button.getAttribute('data-endpoint')).then(function (r) {
      button.disabled = false;
      if (!r.ok || !r.data) {
        window.exifq.showError(error, window.exifq.errorMessage(r.data, r.status));
        return;
      }
      result.textContent = 'Purged ' + files(r.data.purged) + '.' + (r.data.failed > 0 ? ' ' + files(r.data.failed)
        + ' could not be deleted; the next purge retries them.' : '') + ' ';
      result.appendChild(window.exifq.el('a', {href: window.location.pathname + window.location.search,
        text: 'Reload the list'}));
      result.setAttribute('data-purged', String(r.data.purged));
      result.setAttribute('data-failed', String(r.data.failed));
      result.hidden = false;
      purgeable.textContent = files(r.data.failed) + ' can be purged now.';
      purgeable.setAttribute('data-count', String(r.data.failed));
    });
  });
})();
