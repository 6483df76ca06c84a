// The home page's try-it: the public view-exif endpoint (no account, nothing stored), shown as text.
(function () {
  'use strict';
  var el = exifq.el;
  var form = document.getElementById('try-form');
  if (!form) return;
  var error = document.getElementById('try-error');
  var out = document.getElementById('try-result');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    exifq.showError(error, '');
    out.textContent = '';
    var input = document.getElementById('try-file');
    if (!input.files.length) { exifq.showError(error, 'Choose an image first.'); input.focus(); return; }
    var body = new FormData();
    body.append('file', input.files[0], input.files[0].name);
    exifq.upload('/api/images/view-exif', body, null, 'json').then(function (r) {
      if (!r.ok) { exifq.showError(error, exifq.errorMessage(r.data, r.status)); return; }
      if (r.data.gps) {
        var where = r.data.gps.lat + ', ' + r.data.gps.lng;
        out.appendChild(el('p', {}, ['This photo says where it was taken: ', el('a', {rel: 'noopener noreferrer', target: '_blank',
          href: 'https://www.openstreetmap.org/?mlat=' + r.data.gps.lat + '&mlon=' + r.data.gps.lng, text: where})]));
      }
      var dl = el('dl', {class: 'facts'});
      Object.keys(r.data.metadata || {}).forEach(function (k) {
        var v = r.data.metadata[k];
        dl.appendChild(el('dt', {text: k}));
        dl.appendChild(el('dd', {text: typeof v === 'object' ? JSON.stringify(v) : String(v)}));
      });
      out.appendChild(el('details', {open: true}, [el('summary', {text: Object.keys(r.data.metadata || {}).length + ' tags'}), dl]));
    });
  });
})();
